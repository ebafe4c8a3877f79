import { formatBytes, formatCount, formatMB } from '../shared/units.js';
import { codeSpan, escapeMarkdown, markdownTable } from '../shared/markdown.js';
import type { BudgetRow, DiffRow, ReportDiff } from './report-diff.js';
import { nearLimit, signedBytes, signedMs, verdict } from './verdict.js';
import { whyItChanged, type WhyLimits } from './why-markdown.js';

/** What the markdown says around the numbers. */
export interface RenderContext {
  /** Tells our comment apart from any other: `<!-- lambda-layers:<key> -->`, and named in the heading. */
  commentKey: string;
  baseSha?: string;
  headSha?: string;
  /** The repository's web address (server URL and owner/name), for commit and compare links. */
  repoUrl?: string;
  runUrl?: string;
  tool: { name: string; version: string };
  /** warn-at-limit-percent: rows at or above it are marked. */
  warnAtLimitPercent?: number;
}

export interface RenderOptions {
  /** Rows below the thresholds, the layers and the zips go into a <details> block (the comment); otherwise all is open (the summary). */
  collapse: boolean;
  /** The size cap, measured by `measure`. */
  maxSize: number;
  measure: (text: string) => number;
  /** Where the rows left out can be read, for the note. */
  fullTableIn: string;
  /** The text of the link to the workflow run. */
  runLink: string;
  why: WhyLimits;
  /** More sections after the tables (the summary's full report); dropped first when the text is too long. */
  extra?: string[];
}

export const markerFor = (key: string) => `<!-- lambda-layers:${key} -->`;

const bytes = (n: number | undefined) => (n === undefined ? '—' : formatBytes(n));

/** Ten cells of the limit, filled by share: a bar a reviewer reads without the number. */
export function limitBar(percent: number): string {
  const filled = Math.min(10, Math.max(0, Math.round(percent / 10)));
  return '█'.repeat(filled) + '░'.repeat(10 - filled);
}

function label(row: DiffRow, ctx: RenderContext): string {
  const name = escapeMarkdown(row.name);
  if (row.overLimit) return `:x: **${name}** over the limit`;
  const mark = nearLimit(row, ctx.warnAtLimitPercent) ? ':warning: ' : '';
  if (row.status === 'new' || row.status === 'removed') return `${mark}${name} *${row.status}*`;
  return mark + name;
}

const delta = (row: DiffRow, c: DiffRow['unzipped'] | undefined) =>
  row.status === 'changed' || row.status === 'unchanged' ? signedBytes(c?.delta ?? 0) : '—';

function table(header: string[], rows: string[][], withDelta: boolean, deltaColumns: number[]): string {
  const keep = (_: unknown, i: number) => withDelta || !deltaColumns.includes(i);
  const right = new Set(
    header
      .filter(keep)
      .map((_, i) => i)
      .filter((i) => i > 0)
  );
  return markdownTable(
    header.filter(keep),
    rows.map((cells) => cells.filter(keep)),
    right
  );
}

/** A change in parentheses, when both sides have the figure. */
const inline = (c: { base?: number; head?: number; delta: number }, show: (n: number) => string) =>
  c.base !== undefined && c.head !== undefined && c.delta !== 0 ? ` (${show(c.delta)})` : '';

const signedMB = (n: number) => `${n > 0 ? '+' : ''}${formatCount(Math.round(n))} MB`;

/** The slowest event's Init Duration, its change, flagged when it grew beyond the cold-start thresholds. */
function coldStartCell(r: DiffRow): string {
  const c = r.run?.coldStartMs;
  if (c?.head === undefined) return '—';
  return `${formatCount(Math.round(c.head))} ms${inline(c, signedMs)}${r.run?.coldStartGrew ? ' :chart_with_upwards_trend:' : ''}`;
}

/** The largest Max Memory Used of MemorySize, its change, flagged at the report's memory share. */
function memoryCell(r: DiffRow): string {
  const m = r.run?.maxMemoryMB;
  if (m?.head === undefined) return '—';
  const of = r.run?.memorySizeMB ? ` of ${formatCount(r.run.memorySizeMB)} MB` : ' MB';
  return `${r.run?.memoryWarning ? ':warning: ' : ''}${formatCount(m.head)}${of}${inline(m, signedMB)}`;
}

/** The compact table: size against the limit, its change, and the share of the limit as a bar (then cold start and memory, when events ran). */
function limitTable(kind: string, rows: DiffRow[], diff: ReportDiff, ctx: RenderContext): string {
  const size = kind === 'function' ? 'size (code + layers)' : 'size';
  const ran = kind === 'function' && diff.ran;
  const cells = rows.map((r) => {
    const shown = r.status === 'removed' ? r.unzipped.base : r.unzipped.head;
    const cells = [label(r, ctx), bytes(shown), delta(r, r.unzipped), `\`${limitBar(r.limitPercent)}\` ${r.limitPercent.toFixed(1)}%`];
    return ran ? [...cells, coldStartCell(r), memoryCell(r)] : cells;
  });
  const header = [kind, size, 'Δ', 'share of the limit', ...(ran ? ['cold start', 'max memory'] : [])];
  return table(header, cells, diff.hasBase, [2]);
}

/** Said under a table with cold start and memory: where the figures come from. */
const MEASURED_NOTE =
  "<sub>Cold start: the slowest event's Init Duration; max memory: the largest Max Memory Used, of MemorySize. " +
  "Measured on the build machine (each event run through Lambda's runtime interface client), not on Lambda.</sub>";

function budgetCells(b: BudgetRow): string[] {
  const mark = b.budget.over ? (b.budget.onOver === 'fail' ? ':x: ' : ':warning: ') : '';
  const show = (n: number) => (b.what === 'unzipped' ? formatMB(n) : `${formatCount(Math.round(n))} ms`);
  return [
    `${mark}${b.kind} ${escapeMarkdown(b.name)}, ${b.what}`,
    show(b.budget.measured),
    show(b.budget.limit),
    `\`${limitBar(b.budget.percent)}\` ${b.budget.percent.toFixed(1)}%`,
    b.budget.over ? `over (${b.budget.onOver})` : 'within'
  ];
}

/** Budgets, each against its limit, over ones marked by what they do. */
function budgetTable(budgets: BudgetRow[]): string[] {
  if (!budgets.length) return [];
  return [
    '**Budgets** (sizes in MB = 1,000,000 bytes; cold start measured on the build machine)',
    '',
    markdownTable(['budget', 'measured', 'limit', 'share of the budget', 'status'], budgets.map(budgetCells), new Set([1, 2, 3])),
    ''
  ];
}

function layerTable(rows: DiffRow[], diff: ReportDiff, ctx: RenderContext): string {
  const cells = rows.map((r) => [
    label(r, ctx),
    bytes(r.unzipped.head ?? r.unzipped.base),
    delta(r, r.unzipped),
    bytes(r.zipped.head ?? r.zipped.base),
    delta(r, r.zipped)
  ]);
  return table(['layer', 'unzipped', 'Δ', 'zip', 'zip Δ'], cells, diff.hasBase, [2, 4]);
}

function codeTable(rows: DiffRow[], diff: ReportDiff, ctx: RenderContext): string {
  const cells = rows.map((r) => [
    label(r, ctx),
    bytes(r.code?.head ?? r.code?.base),
    delta(r, r.code),
    bytes(r.zipped.head ?? r.zipped.base),
    delta(r, r.zipped)
  ]);
  return table(['function', 'own code', 'Δ', 'own code zip', 'zip Δ'], cells, diff.hasBase, [2, 4]);
}

/** Everything but the main table: the layers, the function zips, and (in the comment) the rows below the thresholds. */
function otherTables(diff: ReportDiff, ctx: RenderContext, quiet: DiffRow[]): string[] {
  const out: string[] = [];
  if (quiet.length)
    out.push(`**Unchanged or below the thresholds** (${quiet.length})`, '', limitTable(quiet[0]!.kind, quiet, diff, ctx), '');
  if (diff.functions.length && diff.layers.length) {
    out.push('**Layers** (unzipped, and the layer zip that is published)', '', layerTable(diff.layers, diff, ctx), '');
  }
  if (diff.functions.length) {
    out.push(
      "**Function code** (each function's own package, unzipped and zipped; its layers are not in it)",
      '',
      codeTable(diff.functions, diff, ctx),
      ''
    );
  }
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

function footer(ctx: RenderContext, runLink: string): string {
  // Only a real SHA goes into a link: the base SHA may come from an input or a downloaded report.
  const linkable = (s: string | undefined): s is string => s !== undefined && /^[0-9a-f]{7,64}$/.test(s);
  const commit = (s: string | undefined) => {
    if (!s) return 'unknown';
    return ctx.repoUrl && linkable(s) ? `[${shortSha(s)}](${ctx.repoUrl}/commit/${s})` : shortSha(s);
  };
  const parts = [`base ${commit(ctx.baseSha)} → head ${commit(ctx.headSha)}`];
  if (ctx.repoUrl && linkable(ctx.baseSha) && linkable(ctx.headSha))
    parts.push(`[compare](${ctx.repoUrl}/compare/${ctx.baseSha}...${ctx.headSha})`);
  if (ctx.runUrl) parts.push(`[${runLink}](${ctx.runUrl})`);
  parts.push(escapeMarkdown(`${ctx.tool.name} ${ctx.tool.version}`));
  return `<sub>${parts.join(' · ')}</sub>`;
}

interface Layout {
  /** Rows of the main table. */
  main: Set<DiffRow>;
  /** The <details> (comment) or the open tables and extra sections (summary). */
  rest: boolean;
  /** Changed layers and functions explained. */
  why: number;
  omitted: number;
}

function compose(diff: ReportDiff, ctx: RenderContext, options: RenderOptions, layout: Layout): string {
  // Functions carry the limit; a template with no functions (or a matrix share) is about its layers.
  const rows = diff.functions.length ? diff.functions : diff.layers;
  const kind = diff.functions.length ? 'function' : 'layer';
  const lines = [
    markerFor(ctx.commentKey),
    `### Lambda sizes · ${escapeMarkdown(ctx.commentKey)}`,
    '',
    verdict(diff, ctx.warnAtLimitPercent),
    ''
  ];
  if (!diff.hasBase) {
    lines.push(
      `> Baseline unavailable: no size report for the base commit${ctx.baseSha ? ` ${shortSha(ctx.baseSha)}` : ''}, so only this commit's sizes are shown.`,
      ''
    );
  }
  const main = rows.filter((r) => layout.main.has(r));
  if (main.length) lines.push(limitTable(kind, main, diff, ctx), '', ...(kind === 'function' && diff.ran ? [MEASURED_NOTE, ''] : []));
  else if (diff.hasBase) lines.push(`No ${kind} changed beyond the thresholds.`, '');
  // Cut to fit: only the budgets that are over, as many as the rows kept.
  lines.push(...budgetTable(layout.rest ? diff.budgets : diff.budgets.filter((b) => b.budget.over).slice(0, layout.why)));
  lines.push(...whyItChanged(diff, { ...options.why, artifacts: Math.min(options.why.artifacts, layout.why) }));
  if (layout.rest) {
    const quiet = options.collapse ? rows.filter((r) => !layout.main.has(r)) : [];
    const others = otherTables(diff, ctx, quiet);
    if (options.collapse && others.length) {
      const what = [
        quiet.length && `${quiet.length} unchanged`,
        diff.functions.length && diff.layers.length && 'layers',
        diff.functions.length && 'zips'
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(`<details><summary>More: ${what}</summary>`, '', ...others, '</details>', '');
    } else lines.push(...others, ...(options.extra ?? []));
  }
  if (layout.omitted)
    lines.push(`*${layout.omitted} rows left out to keep this under GitHub's size limit: ${options.fullTableIn} all.*`, '');
  lines.push(footer(ctx, options.runLink));
  return lines.join('\n') + '\n';
}

/** The sizes as markdown, cut to fit: the details and extra sections go first, then the least important rows. Pure. */
export function renderSizes(diff: ReportDiff, ctx: RenderContext, options: RenderOptions): string {
  const rows = diff.functions.length ? diff.functions : diff.layers;
  const all = [...diff.functions, ...diff.layers].length;
  // A cold start that grew is news even when the size did not change.
  const shownRows = options.collapse ? rows.filter((r) => !r.belowThreshold || r.run?.coldStartGrew) : rows;
  const fits = (text: string) => options.measure(text) <= options.maxSize;
  const full = compose(diff, ctx, options, { main: new Set(shownRows), rest: true, why: diff.changes.length, omitted: 0 });
  if (fits(full)) return full;
  const ranked = priority(shownRows);
  const keeping = (count: number) =>
    compose(diff, ctx, options, {
      main: new Set(ranked.slice(0, count)),
      rest: false,
      why: count,
      omitted: all - Math.min(count, ranked.length)
    });
  // The largest count of rows that fits, by bisection (the text grows with every row).
  let [low, high] = [0, Math.max(ranked.length, diff.changes.length)];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(keeping(mid))) low = mid;
    else high = mid - 1;
  }
  return keeping(low);
}
