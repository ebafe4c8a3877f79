import { formatBytes, formatCount } from '../shared/units.js';
import type { DiffRow, ReportDiff, SizeChange } from './report-diff.js';
import { significantIncreases } from './report-diff.js';
import { escapeMarkdown } from '../shared/markdown.js';

export function signedBytes(delta: number): string {
  return delta > 0 ? `+${formatBytes(delta)}` : delta < 0 ? formatBytes(delta) : '±0 B';
}

export function signedMs(delta: number): string {
  return delta > 0 ? `+${formatCount(Math.round(delta))} ms` : delta < 0 ? `${formatCount(Math.round(delta))} ms` : '±0 ms';
}

export function signedPercent(c: SizeChange): string {
  if (c.percent === undefined) return c.delta === 0 ? '0.0%' : 'n/a';
  return `${c.percent > 0 ? '+' : ''}${c.percent.toFixed(1)}%`;
}

/** The row the limit binds first: the largest function (the largest layer when there are none). */
export function largest(diff: ReportDiff): DiffRow | undefined {
  const rows = diff.functions.length ? diff.functions : diff.layers;
  return rows.filter((r) => r.status !== 'removed').sort((a, b) => b.limitPercent - a.limitPercent || a.name.localeCompare(b.name))[0];
}

/** At or above warn-at-limit-percent, not over. */
export function nearLimit(row: DiffRow, warnAtLimitPercent: number | undefined): boolean {
  return warnAtLimitPercent !== undefined && !row.overLimit && row.status !== 'removed' && row.limitPercent >= warnAtLimitPercent;
}

function headroom(row: DiffRow, limit: number): string {
  const left = limit - (row.unzipped.head ?? 0);
  return left >= 0 ? `**${formatBytes(left)} headroom**` : `**${formatBytes(-left)} over**`;
}

function subject(row: DiffRow, limit: number): string {
  return (
    `Largest ${row.kind} **${escapeMarkdown(row.name)}**: ${formatBytes(row.unzipped.head ?? 0)}, ` +
    `${row.limitPercent.toFixed(1)}% of the ${formatBytes(limit)} limit, ${headroom(row, limit)}.`
  );
}

function total(diff: ReportDiff, grew: boolean): string {
  const t = diff.total;
  if (!diff.hasBase) return `Built: ${formatBytes(t.head ?? 0)} unzipped.`;
  if (t.delta === 0) return `Built: ${formatBytes(t.head ?? 0)} unzipped, unchanged.`;
  const quiet = grew || t.delta < 0 ? '' : ', below the thresholds';
  return `Built: ${formatBytes(t.head ?? 0)} unzipped, ${signedBytes(t.delta)} (${signedPercent(t)})${quiet}.`;
}

/**
 * The line a reviewer reads: over the limit, grew beyond the thresholds, near the limit or fits (the icon
 * follows the same thresholds as on-change and fail-on-increase), then the largest function and its headroom. Pure.
 */
export function verdict(diff: ReportDiff, warnAtLimitPercent?: number): string {
  const over = [...diff.functions, ...diff.layers].filter((r) => r.overLimit);
  const grew = significantIncreases(diff).length > 0;
  const top = largest(diff);
  let head: string;
  if (over.length) head = `:x: **Over the limit**: ${over.map((r) => `${r.kind} **${escapeMarkdown(r.name)}**`).join(', ')}.`;
  else if (grew) head = ':chart_with_upwards_trend: **Grew beyond the thresholds**, fits the limit.';
  else if (top && nearLimit(top, warnAtLimitPercent)) head = `:warning: **Fits, near the limit** (warn at ${warnAtLimitPercent}%).`;
  else head = ':white_check_mark: **Fits the limit**.';
  return [head, ...(top ? [subject(top, diff.limit)] : []), total(diff, grew)].join(' ');
}
