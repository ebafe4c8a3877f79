import { PHASES, type Phase, type Report, type Timings } from './report.js';
import { formatBytes, formatCount, percent } from '../shared/units.js';

function table(header: string[], rows: string[][], rightAligned: Set<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Short column heads for the phases. */
const PHASE_LABELS: Record<Phase, string> = {
  cacheRestore: 'restore',
  resolve: 'resolve',
  install: 'install',
  prune: 'prune',
  strip: 'strip',
  link: 'link',
  bytecode: 'bytecode',
  zip: 'zip',
  verify: 'verify',
  invoke: 'invoke',
  cacheSave: 'save'
};

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * Where a build spent its time: a row per layer and function that was timed, a column per phase that ran
 * anywhere (in the order a build runs them), seconds; a phase an item did not go through is blank. Undefined
 * when nothing was timed. Pure.
 */
export function phaseTable(report: Report): { header: string[]; rows: string[][] } | undefined {
  const items = [...report.layers, ...report.functions].filter((i): i is typeof i & { timings: Timings } => i.timings !== undefined);
  const phases = PHASES.filter((p) => items.some((i) => i.timings[p] !== undefined));
  if (!phases.length) return undefined;
  const total = (t: Timings) => phases.reduce((sum, p) => sum + (t[p] ?? 0), 0);
  const rows = items.map((i) => [
    i.name,
    ...phases.map((p) => (i.timings[p] === undefined ? '' : seconds(i.timings[p]))),
    seconds(total(i.timings))
  ]);
  return { header: ['seconds', ...phases.map((p) => PHASE_LABELS[p]), 'total'], rows };
}

/** "61.2 s in all", and how much of it the phases above do not cover. Pure. */
export function totalLine(report: Report): string | undefined {
  if (report.totalMs === undefined) return undefined;
  const timed = [...report.layers, ...report.functions].reduce(
    (sum, i) => sum + Object.values(i.timings ?? {}).reduce((a, ms) => a + ms, 0),
    0
  );
  const all = `${seconds(report.totalMs)} s in all`;
  // Phases that ran side by side add up to more than the whole: then there is no "rest" to tell.
  return timed > report.totalMs
    ? all
    : `${all}, ${seconds(report.totalMs - timed)} s of it outside these phases (finding pip and the Pythons, reading the template)`;
}

/** The size table for the terminal and the Actions log. Pure. */
export function renderTable(report: Report): string {
  const limit = report.limits.unzippedBytes;
  const layerRows = report.layers.map((l) => [
    l.name,
    formatBytes(l.unzippedBytes),
    formatBytes(l.zippedBytes),
    formatCount(l.fileCount),
    l.cacheHit ? 'cached' : 'built',
    l.packages
      .slice(0, 3)
      .map((p) => `${p.name} ${formatBytes(p.bytes)}`)
      .join(', ')
  ]);
  const functionRows = report.functions.map((f) => [
    f.name,
    String(f.layers.length),
    formatBytes(f.codeUnzippedBytes),
    `${f.unknownLayers.length ? '>= ' : ''}${formatBytes(f.totalUnzippedBytes)}`,
    percent(f.totalUnzippedBytes, limit),
    formatBytes(f.zippedBytes) + (f.directUpload ? '' : ' (via S3)'),
    f.withinLimits ? (f.unknownLayers.length ? 'ok?' : 'ok') : 'OVER'
  ]);
  const lines = [
    'Layers',
    ...table(['layer', 'unzipped', 'zipped', 'files', 'build', 'largest packages'], layerRows, new Set([1, 2, 3])),
    '',
    `Functions (limit: ${formatBytes(limit)} unzipped, code plus all layers)`,
    ...table(['function', 'layers', 'code', 'total', '% limit', 'zipped', 'status'], functionRows, new Set([1, 2, 3, 4, 5]))
  ];
  const unknown = report.functions.filter((f) => f.unknownLayers.length);
  for (const f of unknown) lines.push(`  ${f.name}: size unknown for ${f.unknownLayers.join(', ')} (set it in the config file)`);
  // Counted, so a table that covers part of the stack says so even when the list scrolls away.
  if (report.skipped.length) lines.push(`${report.skipped.length} skipped (not built here):`);
  for (const s of report.skipped) lines.push(`  skipped ${s}`);
  const phases = phaseTable(report);
  if (phases) {
    const right = new Set(Array.from({ length: phases.header.length - 1 }, (_, i) => i + 1));
    lines.push('', 'Time per phase', ...table(phases.header, phases.rows, right));
    const total = totalLine(report);
    if (total) lines.push(total);
  }
  return lines.join('\n');
}
