import { diffReports, hasSignificantChange, significantIncreases, type Thresholds } from '../../src/pr/report-diff.js';
import { COMMENT_MAX_CHARS, renderComment } from '../../src/pr/render-comment.js';
import { renderSummary, SUMMARY_MAX_BYTES } from '../../src/pr/render-summary.js';
import type { RenderContext } from '../../src/pr/size-markdown.js';
import { verdict } from '../../src/pr/verdict.js';
import type { Report } from '../../src/report/report.js';
import { functionReport, KiB, layerReport, makeReport, MiB } from './fixtures.js';

const CTX: RenderContext = {
  repoUrl: 'https://github.com/o/r',
  commentKey: 'sizes',
  baseSha: '1111111111111111111111111111111111111111',
  headSha: '2222222222222222222222222222222222222222',
  runUrl: 'https://github.com/o/r/actions/runs/42',
  tool: { name: 'lambda-layers', version: '0.1.0' }
};
const NONE: Thresholds = { minBytes: 1, minPercent: 0 };

/** A two-layer app whose sizes each case varies. */
function app(core: number, ml: number, code = 10 * KiB, extra: Partial<Report> = {}): Report {
  return makeReport({
    layers: [
      layerReport({ name: 'CoreLayer', unzippedBytes: core, zippedBytes: Math.round(core / 3) }),
      layerReport({ name: 'MlLayer', unzippedBytes: ml, zippedBytes: Math.round(ml / 3) })
    ],
    functions: [
      functionReport({
        name: 'Validate',
        layers: ['CoreLayer'],
        codeUnzippedBytes: code,
        totalUnzippedBytes: core + code,
        zippedBytes: 4 * KiB
      }),
      functionReport({
        name: 'Predict',
        layers: ['CoreLayer', 'MlLayer'],
        codeUnzippedBytes: code,
        totalUnzippedBytes: core + ml + code,
        zippedBytes: 4 * KiB
      })
    ],
    ...extra
  });
}

const BASE = app(20 * MiB, 150 * MiB);

const CASES: Array<[string, Report | undefined, Report]> = [
  ['first run (no base)', undefined, BASE],
  ['no change', BASE, app(20 * MiB, 150 * MiB)],
  ['growth', BASE, app(20 * MiB, 170 * MiB)],
  ['shrink', BASE, app(18 * MiB, 150 * MiB)],
  [
    'new and removed layers',
    BASE,
    makeReport({
      layers: [
        layerReport({ name: 'CoreLayer', unzippedBytes: 20 * MiB, zippedBytes: 7 * MiB }),
        layerReport({ name: 'TorchLayer', unzippedBytes: 90 * MiB, zippedBytes: 30 * MiB })
      ],
      functions: [
        functionReport({ name: 'Validate', codeUnzippedBytes: 10 * KiB, totalUnzippedBytes: 20 * MiB + 10 * KiB, zippedBytes: 4 * KiB })
      ]
    })
  ],
  [
    'over the limit',
    BASE,
    (() => {
      const r = app(20 * MiB, 240 * MiB, 10 * KiB, { withinLimits: false });
      r.functions[1]!.withinLimits = false;
      r.functions[1]!.violations = ['function Predict is over the limit'];
      return r;
    })()
  ],
  [
    'names with markdown characters',
    makeReport({ layers: [layerReport({ name: 'Core|Layer', unzippedBytes: MiB })] }),
    makeReport({
      layers: [
        layerReport({ name: 'Core|Layer', unzippedBytes: 2 * MiB }),
        layerReport({ name: '<img src=x> *bold* [link](http://x) @octocat', unzippedBytes: MiB })
      ]
    })
  ]
];

describe.each(CASES)('%s', (_name, base, head) => {
  const diff = diffReports(base, head, NONE);
  test('comment', () => {
    const body = renderComment(diff, CTX);
    expect(body.startsWith('<!-- lambda-layers:sizes -->\n')).toBe(true);
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body).toMatchSnapshot();
  });
  test('summary', () => {
    expect(renderSummary(diff, CTX, head)).toMatchSnapshot();
  });
});

test('the verdict names the over-limit function first, then the largest function and how far over it is', () => {
  const over = CASES.find(([n]) => n === 'over the limit')!;
  const line = verdict(diffReports(over[1], over[2], NONE));
  expect(line).toMatch(/^:x: \*\*Over the limit\*\*: function \*\*Predict\*\*\. /);
  expect(line).toContain('Largest function **Predict**: 260.0 MiB, 104.0% of the 250.0 MiB limit, **10.0 MiB over**.');
  expect(line).toContain('Built: 260.0 MiB unzipped, +90.0 MiB (+52.9%).');
});

test.each<[string, Report, Thresholds, number | undefined, RegExp]>([
  [
    'growth past the thresholds',
    app(20 * MiB, 170 * MiB),
    NONE,
    undefined,
    /^:chart_with_upwards_trend: \*\*Grew beyond the thresholds\*\*/
  ],
  [
    'growth below min-change-percent',
    app(20 * MiB, 150 * MiB + KiB),
    { minBytes: 1, minPercent: 1 },
    undefined,
    /^:white_check_mark: \*\*Fits the limit\*\*\. .*below the thresholds\.$/
  ],
  ['shrink', app(18 * MiB, 150 * MiB), NONE, undefined, /^:white_check_mark: \*\*Fits the limit\*\*\./],
  [
    'no growth, near warn-at-limit-percent',
    app(20 * MiB, 150 * MiB),
    NONE,
    60,
    /^:warning: \*\*Fits, near the limit\*\* \(warn at 60%\)\./
  ],
  ['growth and near the limit: growth wins', app(20 * MiB, 170 * MiB), NONE, 60, /^:chart_with_upwards_trend: /]
])('the verdict icon follows the thresholds: %s', (_name, head, thresholds, warn, expected) => {
  const line = verdict(diffReports(BASE, head, thresholds), warn);
  expect(line).toMatch(expected);
  // Headroom of the largest function, Predict, always.
  expect(line).toMatch(/Largest function \*\*Predict\*\*: [\d.]+ MiB, [\d.]+% of the 250\.0 MiB limit, \*\*[\d.]+ MiB headroom\*\*\./);
});

test('near-limit and over-limit rows are marked in the table', () => {
  const body = renderComment(diffReports(BASE, app(20 * MiB, 170 * MiB), NONE), { ...CTX, warnAtLimitPercent: 60 });
  expect(body).toContain('| :warning: Predict | 190.0 MiB | +20.0 MiB | `████████░░` 76.0% |');
  expect(body).toMatch(/\| Validate \| 20\.0 MiB \| ±0 B \|/);
});

test('first run: every row is there, status no-baseline, the body says baseline unavailable once and has no Δ columns', () => {
  const diff = diffReports(undefined, BASE, NONE);
  expect([...diff.layers, ...diff.functions].map((r) => r.status)).toEqual(['no-baseline', 'no-baseline', 'no-baseline', 'no-baseline']);
  const body = renderComment(diff, { ...CTX, baseSha: undefined });
  expect(body.match(/baseline unavailable/gi)).toHaveLength(1);
  expect(body).not.toContain('Δ');
  expect(body).not.toContain('—');
  expect(body).toContain('| function | size (code + layers) | share of the limit |');
  expect(hasSignificantChange(diff)).toBe(false);
  const over = CASES.find(([n]) => n === 'over the limit')![2];
  expect(hasSignificantChange(diffReports(undefined, over, NONE))).toBe(true);
  expect(hasSignificantChange(diffReports(BASE, app(20 * MiB, 150 * MiB), NONE))).toBe(false);
  expect(hasSignificantChange(diffReports(BASE, app(20 * MiB, 151 * MiB), NONE))).toBe(true);
});

test.each<[string, Thresholds, string[]]>([
  ['any byte counts', { minBytes: 1, minPercent: 0 }, ['CoreLayer', 'Validate', 'Predict']],
  ['bytes threshold above the change', { minBytes: 2 * KiB, minPercent: 0 }, []],
  ['percent threshold: 1 KiB of 20 MiB is under 1%', { minBytes: 1, minPercent: 1 }, []],
  ['percent threshold: 1 KiB is 0.005% of 20 MiB but 0.0006% of 170 MiB', { minBytes: 1, minPercent: 0.001 }, ['CoreLayer', 'Validate']]
])('thresholds: %s', (_name, thresholds, increased) => {
  const diff = diffReports(BASE, app(20 * MiB + KiB, 150 * MiB), thresholds);
  expect(significantIncreases(diff).map((r) => r.name)).toEqual(increased);
  expect(diff.layers.find((r) => r.name === 'MlLayer')!.belowThreshold).toBe(true);
});

test('shrinking is never an increase; new rows are not increases either', () => {
  expect(significantIncreases(diffReports(BASE, app(18 * MiB, 150 * MiB), NONE))).toEqual([]);
  const added = makeReport({ ...BASE, layers: [...BASE.layers, layerReport({ name: 'New', unzippedBytes: MiB })] });
  expect(significantIncreases(diffReports(BASE, added, NONE))).toEqual([]);
});

/** A template with many layers and functions, all changed, and long names. */
function huge(count: number, grow: number): Report {
  const name = (i: number) => `Layer${String(i).padStart(5, '0')}${'x'.repeat(40)}`;
  return makeReport({
    layers: Array.from({ length: count }, (_, i) => layerReport({ name: name(i), unzippedBytes: MiB + i * grow, zippedBytes: KiB })),
    functions: Array.from({ length: count }, (_, i) =>
      functionReport({
        name: `Fn${i}_with_underscores`,
        codeUnzippedBytes: KiB,
        totalUnzippedBytes: MiB + i * grow,
        withinLimits: i !== count - 1
      })
    )
  });
}

test('a huge report is cut under 65,536 characters: details first, then the smallest changes, with a note', () => {
  const diff = diffReports(huge(2000, 0), huge(2000, 1000), NONE);
  const body = renderComment(diff, CTX);
  expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
  expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARS - 2000);
  expect(body).not.toContain('<details>');
  expect(body).toMatch(/\*\d+ rows left out to keep this under GitHub's size limit/);
  // The over-limit function and the largest changes stay; the layers were in the details.
  expect(body).toContain(':x: **Fn1999\\_with\\_underscores** over the limit');
  expect(body).toContain('Fn1998\\_with');
  expect(body).not.toContain('Fn1\\_with');
  expect(body).not.toContain('Layer0');
  expect(body.endsWith('lambda\\-layers 0\\.1\\.0</sub>\n')).toBe(true);
  expect(body).toMatchSnapshot();
});

test('a long comment loses its collapsed details before any changed row', () => {
  // 1200 unchanged rows would push the body over; the 3 changed function rows and the over-limit one must all stay.
  const head = huge(600, 0);
  for (const i of [0, 1, 2]) head.functions[i]!.totalUnzippedBytes += (i + 1) * MiB;
  const body = renderComment(diffReports(huge(600, 0), head, NONE), CTX);
  expect(body).not.toContain('<details>');
  expect(body).toContain(`*${1200 - 4} rows left out`);
  for (const name of ['Fn0', 'Fn1', 'Fn2']) expect(body).toContain(`| ${name}\\_with`);
  expect(body).toContain('| :x: **Fn599\\_with');
});

test.each([10, 100, 1000, 5000])('length caps hold for %i rows per table', (count) => {
  const diff = diffReports(huge(count, 7), huge(count, 1031), { minBytes: 5000, minPercent: 0 });
  expect(renderComment(diff, CTX).length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
  const summary = renderSummary(diff, CTX, huge(count, 1031));
  expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
  // The summary keeps every row while it fits.
  if (count <= 1000) expect(summary).not.toContain('rows left out');
  else expect(summary).toMatch(/rows left out to keep this under GitHub's size limit: the report \(the report output\) has them all/);
});

test('a matrix job share is compared only where it has rows: the layers it did not build are not removed', () => {
  const share = makeReport({ layers: [layerReport({ name: 'MlLayer', unzippedBytes: 151 * MiB })] });
  const diff = diffReports(BASE, share, NONE, true);
  expect(diff.layers.map((r) => [r.name, r.status, r.unzipped.delta])).toEqual([['MlLayer', 'changed', MiB]]);
  expect(diff.functions).toEqual([]);
  expect(diff.total.delta).toBe(MiB);
  // The same share as a whole report: everything else was removed.
  expect(diffReports(BASE, share, NONE).layers.map((r) => r.status)).toEqual(['changed', 'removed']);
});

test('tool and commits from a hostile report or input are shown, never rendered: no link, no HTML, no broken code span', () => {
  const hostile: RenderContext = {
    ...CTX,
    baseSha: 'abc`<img src=x>',
    headSha: 'x\n# heading',
    tool: { name: '[click](http://evil)', version: '<script>alert(1)</script> @octocat' }
  };
  const body = renderComment(diffReports(undefined, app(MiB, MiB), NONE), hostile);
  const footer = body.trimEnd().split('\n').at(-1)!;
  expect(footer).toContain('\\[click\\]\\(http://evil\\)');
  expect(footer).toContain('\\<script\\>alert\\(1\\)\\</script\\> @\u200boctocat');
  // Longer fences than any backtick inside: the span cannot close early; no line break survives.
  expect(footer).toContain('base ``abc`<img src`` → head `x # heading`');
  expect(footer).not.toContain('/commit/');
  expect(body).not.toMatch(/^# heading/m);
});
