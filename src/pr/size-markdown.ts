import { formatBytes } from '../shared/units.js';
import { codeSpan, escapeMarkdown, markdownTable } from '../shared/markdown.js';
import type { DiffRow, ReportDiff } from './report-diff.js';
import { signedBytes, signedPercent, verdict } from './verdict.js';

/** What the markdown says around the numbers. */
export interface RenderContext {
  /** Tells our comment apart from any other: `<!-- lambda-layers:<key> -->`. */
  commentKey: string;
  baseSha?: string;
  headSha?: string;
  runUrl?: string;
  tool: { name: string; version: string };
}

export interface RenderOptions {
  /** Rows below the thresholds go into a <details> block (the comment); otherwise every row is a table row (the summary). */
  collapse: boolean;
  /** The size cap, measured by `measure`. */
  maxSize: number;
  measure: (text: string) => number;
  /** Where the rows left out can be read, for the note. */
  fullTableIn: string;
}

export const markerFor = (key: string) => `<!-- lambda-layers:${key} -->`;

const HEADER = ['', 'unzipped base', 'unzipped head', 'Δ', 'Δ %', 'zipped base', 'zipped head', 'zipped Δ', '% of limit'];
const RIGHT = new Set([1, 2, 3, 4, 5, 6, 7, 8]);

const bytes = (n: number | undefined) => (n === undefined ? '—' : formatBytes(n));

function label(row: DiffRow): string {
  const name = escapeMarkdown(row.name);
  if (row.overLimit) return `**${name}** :x: over limit`;
  if (row.status === 'new' || row.status === 'removed') return `${name} *${row.status}*`;
  return name;
}

function cells(row: DiffRow): string[] {
  const gone = row.status === 'removed';
  const added = row.status === 'new' || row.status === 'no-baseline';
  return [
    label(row),
    bytes(row.unzipped.base),
    bytes(row.unzipped.head),
    added || gone ? '—' : signedBytes(row.unzipped.delta),
    added || gone ? '—' : signedPercent(row.unzipped),
    bytes(row.zipped.base),
    bytes(row.zipped.head),
    added || gone ? '—' : signedBytes(row.zipped.delta),
    gone ? '—' : `${row.limitPercent.toFixed(1)}%`
  ];
}

function tables(functions: DiffRow[], layers: DiffRow[], limit: number): string[] {
  const out: string[] = [];
  if (functions.length) {
    out.push(
      `**Functions** (code plus all layers, limit ${formatBytes(limit)} unzipped)`,
      '',
      markdownTable(['function', ...HEADER.slice(1)], functions.map(cells), RIGHT),
      ''
    );
  }
  if (layers.length) out.push('**Layers**', '', markdownTable(['layer', ...HEADER.slice(1)], layers.map(cells), RIGHT), '');
  return out;
}

/** Which rows to keep when the body is too long: over-limit first, then the biggest changes. */
function priority(rows: DiffRow[]): DiffRow[] {
  return [...rows].sort(
    (a, b) =>
      Number(b.overLimit) - Number(a.overLimit) ||
      Math.abs(b.unzipped.delta) - Math.abs(a.unzipped.delta) ||
      b.limitPercent - a.limitPercent
  );
}

/** A commit as a code span, its first 12 characters (a SHA from the API or an input; never trusted to be one). */
const shortSha = (sha: string) => codeSpan(sha.slice(0, 12));

function footer(diff: ReportDiff, ctx: RenderContext): string {
  const sha = (s: string | undefined) => (s ? shortSha(s) : 'unknown');
  const parts = [`base ${sha(ctx.baseSha)}${diff.hasBase ? '' : ' (baseline unavailable)'}`, `head ${sha(ctx.headSha)}`];
  if (ctx.runUrl) parts.push(`[workflow run](${ctx.runUrl})`);
  parts.push(escapeMarkdown(`${ctx.tool.name} ${ctx.tool.version}`));
  return `<sub>${parts.join(' · ')}</sub>`;
}

function compose(
  diff: ReportDiff,
  ctx: RenderContext,
  options: RenderOptions,
  shown: Set<DiffRow>,
  collapsed: Set<DiffRow> | undefined,
  omitted: number
): string {
  const pick = (rows: DiffRow[], set: Set<DiffRow>) => rows.filter((r) => set.has(r));
  const lines = [markerFor(ctx.commentKey), '### Lambda sizes', '', verdict(diff), ''];
  if (!diff.hasBase) {
    lines.push(
      `> Baseline unavailable: no size report for the base commit${ctx.baseSha ? ` ${shortSha(ctx.baseSha)}` : ''}, so only this commit's sizes are shown.`,
      ''
    );
  }
  const main = tables(pick(diff.functions, shown), pick(diff.layers, shown), diff.limit);
  if (main.length) lines.push(...main);
  else if (diff.hasBase) lines.push('No layer or function changed beyond the thresholds.', '');
  if (collapsed?.size) {
    lines.push(
      `<details><summary>${collapsed.size} unchanged or below the threshold</summary>`,
      '',
      ...tables(pick(diff.functions, collapsed), pick(diff.layers, collapsed), diff.limit),
      '</details>',
      ''
    );
  }
  if (omitted) lines.push(`*${omitted} rows left out to keep this under GitHub's size limit: ${options.fullTableIn} all.*`, '');
  lines.push(footer(diff, ctx));
  return lines.join('\n') + '\n';
}

/** The sizes as markdown, cut to fit: the collapsed details go first, then the least important rows. Pure. */
export function renderSizes(diff: ReportDiff, ctx: RenderContext, options: RenderOptions): string {
  const rows = [...diff.functions, ...diff.layers];
  const shownRows = options.collapse ? rows.filter((r) => !r.belowThreshold) : rows;
  const collapsedRows = options.collapse ? rows.filter((r) => r.belowThreshold) : [];
  const fits = (text: string) => options.measure(text) <= options.maxSize;
  const full = compose(diff, ctx, options, new Set(shownRows), new Set(collapsedRows), 0);
  if (fits(full)) return full;
  const ranked = priority(shownRows);
  const keeping = (count: number) => compose(diff, ctx, options, new Set(ranked.slice(0, count)), undefined, rows.length - count);
  // The largest count of rows that fits, by bisection (the text grows with every row).
  let [low, high] = [0, ranked.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(keeping(mid))) low = mid;
    else high = mid - 1;
  }
  return keeping(low);
}
