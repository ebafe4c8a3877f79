import { OWN_CODE, type FunctionReport, type LayerReport, type Report } from '../report/report.js';
import { phaseTable, totalLine } from '../report/render-table.js';
import { escapeMarkdown, markdownTable } from '../shared/markdown.js';
import { formatBytes, formatCount } from '../shared/units.js';
import type { ReportDiff } from './report-diff.js';
import { renderSizes, type RenderContext } from './size-markdown.js';

/** A step's job summary may not exceed 1 MiB; keep a margin for the other lines a step may add. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 16 * 1024;

const RIGHT_FROM_1 = (count: number) => new Set(Array.from({ length: count - 1 }, (_, i) => i + 1));
const text = (s: string | undefined) => escapeMarkdown(s ?? '');

function packages(report: Report): string[] {
  const out = ['#### Packages', ''];
  for (const a of [...report.layers, ...report.functions]) {
    // A function whose only entry is its own code is in the function code table already.
    if (!a.packages.some((p) => p.name !== OWN_CODE)) continue;
    const kind = 'buildKey' in a ? 'layer' : 'function';
    out.push(
      `${kind} **${text(a.name)}** (${a.packages.length})`,
      '',
      markdownTable(
        ['package', 'version', 'unzipped'],
        a.packages.map((p) => [p.name === OWN_CODE ? 'own code' : text(p.name), text(p.version), formatBytes(p.bytes)]),
        new Set([2])
      ),
      ''
    );
  }
  return out.length > 2 ? out : [];
}

function slimming(report: Report): string[] {
  const slimmed = [
    ...report.layers.map((l) => ({ kind: 'layer', name: l.name, s: l.slimming })),
    ...report.functions.flatMap((f) => (f.slimming ? [{ kind: 'function', name: f.name, s: f.slimming }] : []))
  ].filter((x) => x.s.enabled);
  if (!slimmed.length) return [];
  const out = ['#### Slimming', ''];
  out.push(
    markdownTable(
      ['', 'before', 'after', 'stripped', 'bytecode'],
      slimmed.map(({ kind, name, s }) => [
        `${kind} ${text(name)}`,
        formatBytes(s.beforeBytes),
        formatBytes(s.afterBytes),
        s.strip.skipped ? text(s.strip.skipped) : `${formatCount(s.strip.files)} files, ${formatBytes(s.strip.bytesSaved)} saved`,
        s.bytecode.skipped ? text(s.bytecode.skipped) : `${text(s.bytecode.mode)}, ${formatCount(s.bytecode.files)} files`
      ]),
      new Set([1, 2])
    ),
    ''
  );
  const rules = slimmed.flatMap(({ kind, name, s }) =>
    [...s.removed]
      .sort((x, y) => y.bytes - x.bytes)
      .map((r) => [`${kind} ${text(name)}`, text(r.rule), formatCount(r.files), formatBytes(r.bytes)])
  );
  if (rules.length) out.push('Removed by rule:', '', markdownTable(['', 'rule', 'files', 'bytes'], rules, new Set([2, 3])), '');
  return out;
}

function verification(functions: FunctionReport[]): string[] {
  if (!functions.length) return [];
  const rows = functions.map((f) => {
    const v = f.verification;
    const detail = v.failures.length
      ? v.failures.map((x) => `${text(x.module)}: ${text(x.error)}${x.rule ? ` (rule ${text(x.rule)})` : ''}`).join('; ')
      : text(v.reason);
    return [
      text(f.name),
      v.status,
      text(v.python),
      formatCount(v.modules),
      v.handlerImportMs === undefined
        ? '—'
        : v.handlerImportMs >= 1000
          ? `${(v.handlerImportMs / 1000).toFixed(1)} s`
          : `${v.handlerImportMs} ms`,
      detail || '—'
    ];
  });
  return [
    '#### Verification',
    '',
    markdownTable(['function', 'status', 'python', 'modules', 'handler import', 'details'], rows, new Set([3, 4])),
    ''
  ];
}

const ms = (n: number | undefined) => (n === undefined ? '—' : `${formatCount(Math.round(n))} ms`);

/** Every event each function ran, with Lambda's REPORT figures as measured on the build machine. */
function invocations(functions: FunctionReport[]): string[] {
  const ran = functions.filter((f) => f.invocations);
  if (!ran.length) return [];
  const rows = ran.flatMap((f) => {
    const inv = f.invocations!;
    if (!inv.results.length) return [[text(f.name), '—', inv.status, '—', '—', '—', text(inv.reason) || '—']];
    return inv.results.map((r) => [
      text(f.name),
      text(r.event),
      `${r.status}${r.expectedToFail ? ' (expected to fail)' : ''}`,
      ms(r.initDurationMs),
      ms(r.durationMs),
      `${formatCount(r.maxMemoryUsedMB)} of ${formatCount(r.memorySizeMB)} MB`,
      r.errorType || r.errorMessage ? `${text(r.errorType)}: ${text(r.errorMessage)}` : '—'
    ]);
  });
  return [
    '#### Invocations',
    '',
    "Each event run in a fresh process through Lambda's runtime interface client: figures measured on the build machine, not on Lambda.",
    '',
    markdownTable(['function', 'event', 'status', 'init duration', 'duration', 'max memory used', 'error'], rows, new Set([3, 4, 5])),
    ''
  ];
}

function cache(layers: LayerReport[]): string[] {
  if (!layers.length) return [];
  const hits = layers.filter((l) => l.cacheHit).map((l) => text(l.name));
  return [
    '#### Build cache',
    '',
    `${hits.length} of ${layers.length} layers from the cache${hits.length ? `: ${hits.join(', ')}` : ''}.`,
    ''
  ];
}

/** Where the build spent its time: the terminal table's phase table, in markdown. */
function timings(report: Report): string[] {
  const phases = phaseTable(report);
  if (!phases) return [];
  const total = totalLine(report);
  const rows = phases.rows.map(([name, ...cells]) => [text(name ?? ''), ...cells]);
  return [
    '#### Time per phase',
    '',
    markdownTable(phases.header, rows, RIGHT_FROM_1(phases.header.length)),
    '',
    ...(total ? [total, ''] : [])
  ];
}

function warnings(report: Report): string[] {
  const items = [
    ...[...report.layers, ...report.functions].flatMap((a) => [...a.violations, ...a.warnings].map((w) => `${text(a.name)}: ${text(w)}`)),
    ...report.skipped.map((s) => `skipped: ${text(s)}`)
  ];
  return items.length ? ['#### Warnings', '', ...items.map((w) => `- ${w}`), ''] : [];
}

/** The job summary: the comment's tables all open, then the whole report (packages, slimming, verification, cache, timings, warnings). Pure. */
export function renderSummary(diff: ReportDiff, ctx: RenderContext, report: Report): string {
  return renderSizes(diff, ctx, {
    collapse: false,
    maxSize: SUMMARY_MAX_BYTES,
    measure: (s) => Buffer.byteLength(s, 'utf8'),
    fullTableIn: 'the report (the report output) has them',
    runLink: 'workflow run',
    why: { packages: 50, artifacts: Number.POSITIVE_INFINITY },
    extra: [
      ...packages(report),
      ...slimming(report),
      ...verification(report.functions),
      ...invocations(report.functions),
      ...cache(report.layers),
      ...timings(report),
      ...warnings(report)
    ]
  });
}
