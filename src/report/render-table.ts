import { PHASES, type FunctionReport, type Phase, type Report, type Timings } from './report.js';
import { formatBytes, formatCount, formatMB, percent } from '../shared/units.js';
import { coldStartMs, maxMemoryUsedMB, memoryPercent } from './budgets.js';

function table(header: string[], rows: string[][], rightAligned: Set<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** How far a function was verified: on the target CPU, by ELF checks only, or not (older reports: yes or no); a reused pass says so. */
function verifiedCell(v: FunctionReport['verification']): string {
  if (v.status === 'failed') return 'FAILED';
  if (v.level === 'elf-only') return 'ELF only';
  if (v.level === 'none' || v.status === 'skipped') return v.level === 'target-cpu' ? 'target CPU?' : 'no';
  return (v.level === 'target-cpu' ? 'target CPU' : 'yes') + (v.cached ? ' (cached)' : '');
}

/** Cold start and memory of the functions whose events ran. */
function runLines(report: Report): string[] {
  const ran = report.functions.filter((f) => f.invocations?.results.length);
  if (!ran.length) return [];
  const rows = ran.map((f) => {
    const [cold, used, share] = [coldStartMs(f), maxMemoryUsedMB(f), memoryPercent(f)];
    return [
      f.name,
      `${f.invocations!.results.length}${f.invocations!.cached ? ' (cached)' : ''}`,
      cold === undefined ? '-' : `${formatCount(Math.round(cold))} ms`,
      used === undefined ? '-' : `${formatCount(used)} MB`,
      f.memorySizeMB ? `${formatCount(f.memorySizeMB)} MB` : '-',
      share === undefined ? '-' : `${share.toFixed(1)}%`
    ];
  });
  return [
    '',
    "Cold start and memory (measured on the build machine: the slowest event's Init Duration, the largest Max Memory Used)",
    ...table(['function', 'events', 'cold start', 'max memory', 'memory size', '% memory'], rows, new Set([1, 2, 3, 4, 5]))
  ];
}

/** Every budget, against its limit (sizes in MB = 1,000,000 bytes). */
function budgetLines(report: Report): string[] {
  const rows = [
    ...report.layers.flatMap((l) => (l.budget ? [['layer', l.name, 'unzipped', l.budget] as const] : [])),
    ...report.functions.flatMap((f) => [
      ...(f.budgets?.unzippedBytes ? [['function', f.name, 'unzipped', f.budgets.unzippedBytes] as const] : []),
      ...(f.budgets?.coldStartMs ? [['function', f.name, 'cold start', f.budgets.coldStartMs] as const] : [])
    ])
  ].map(([kind, name, what, b]) => {
    const show = (n: number) => (what === 'unzipped' ? formatMB(n) : `${formatCount(Math.round(n))} ms`);
    return [`${kind} ${name}`, what, show(b.measured), show(b.limit), `${b.percent.toFixed(1)}%`, b.over ? `OVER (${b.onOver})` : 'ok'];
  });
  if (!rows.length) return [];
  return [
    '',
    'Budgets (MB = 1,000,000 bytes)',
    ...table(['', 'budget', 'measured', 'limit', '% budget', 'status'], rows, new Set([2, 3, 4]))
  ];
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
    f.withinLimits ? (f.unknownLayers.length ? 'ok?' : 'ok') : 'OVER',
    verifiedCell(f.verification)
  ]);
  const lines = [
    'Layers',
    ...table(['layer', 'unzipped', 'zipped', 'files', 'build', 'largest packages'], layerRows, new Set([1, 2, 3])),
    '',
    `Functions (limit: ${formatBytes(limit)} unzipped, code plus all layers)`,
    ...table(['function', 'layers', 'code', 'total', '% limit', 'zipped', 'status', 'verified'], functionRows, new Set([1, 2, 3, 4, 5]))
  ];
  const unknown = report.functions.filter((f) => f.unknownLayers.length);
  for (const f of unknown) lines.push(`  ${f.name}: size unknown for ${f.unknownLayers.join(', ')} (set it in the config file)`);
  lines.push(...runLines(report), ...budgetLines(report));
  const phases = phaseTable(report);
  if (phases) {
    const right = new Set(Array.from({ length: phases.header.length - 1 }, (_, i) => i + 1));
    lines.push('', 'Time per phase', ...table(phases.header, phases.rows, right));
    const total = totalLine(report);
    if (total) lines.push(total);
  }
  // Last, and counted, so a table that covers part of the stack says so even when the list scrolls away.
  if (report.skipped.length) lines.push(`${report.skipped.length} skipped (not built here):`);
  for (const s of report.skipped) lines.push(`  skipped ${s}`);
  return lines.join('\n');
}
