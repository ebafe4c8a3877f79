import type { FunctionReport, Report } from './report.js';
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

/** How far a function was verified: on the target CPU, by ELF checks only, or not (older reports: yes or no). */
function verifiedCell(v: FunctionReport['verification']): string {
  if (v.status === 'failed') return 'FAILED';
  if (v.level === 'elf-only') return 'ELF only';
  if (v.level === 'none' || v.status === 'skipped') return v.level === 'target-cpu' ? 'target CPU?' : 'no';
  return v.level === 'target-cpu' ? 'target CPU' : 'yes';
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
  // Counted, so a table that covers part of the stack says so even when the list scrolls away.
  if (report.skipped.length) lines.push(`${report.skipped.length} skipped (not built here):`);
  for (const s of report.skipped) lines.push(`  skipped ${s}`);
  return lines.join('\n');
}
