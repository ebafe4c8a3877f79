import { formatBytes } from '../shared/units.js';
import type { DiffRow, ReportDiff, SizeChange } from './report-diff.js';
import { escapeMarkdown } from '../shared/markdown.js';

export function signedBytes(delta: number): string {
  return delta > 0 ? `+${formatBytes(delta)}` : delta < 0 ? formatBytes(delta) : '±0 B';
}

export function signedPercent(c: SizeChange): string {
  if (c.percent === undefined) return c.delta === 0 ? '0.0%' : 'n/a';
  return `${c.percent > 0 ? '+' : ''}${c.percent.toFixed(1)}%`;
}

function closest(rows: DiffRow[]): DiffRow | undefined {
  return rows.filter((r) => r.status !== 'removed').sort((a, b) => b.limitPercent - a.limitPercent || a.name.localeCompare(b.name))[0];
}

function describe(row: DiffRow, limit: number): string {
  return `**${escapeMarkdown(row.name)}** at ${row.limitPercent.toFixed(1)}% (${formatBytes(row.unzipped.head ?? 0)} of ${formatBytes(limit)})`;
}

/** The one line a reviewer reads: over-limit resources first, then the total change and the function closest to its limit. Pure. */
export function verdict(diff: ReportDiff): string {
  const over = [...diff.functions, ...diff.layers].filter((r) => r.overLimit);
  const parts: string[] = [];
  if (over.length) {
    const names = over.map((r) => `${r.kind} **${escapeMarkdown(r.name)}**`).join(', ');
    parts.push(`:x: Over the Lambda limit: ${names}.`);
  }
  if (diff.hasBase) {
    const t = diff.total;
    parts.push(
      `${over.length ? '' : t.delta > 0 ? ':chart_with_upwards_trend: ' : ':white_check_mark: '}Total unzipped ${signedBytes(t.delta)} (${signedPercent(t)}), now ${formatBytes(t.head ?? 0)}.`
    );
  } else {
    parts.push(`${over.length ? '' : ':white_check_mark: '}Total unzipped ${formatBytes(diff.total.head ?? 0)} (baseline unavailable).`);
  }
  const top = closest(diff.functions);
  if (top) parts.push(`Closest to the limit: ${describe(top, diff.limit)}.`);
  return parts.join(' ');
}
