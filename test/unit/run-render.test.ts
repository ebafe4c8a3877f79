import { COMMENT_MAX_CHARS, renderComment } from '../../src/pr/render-comment.js';
import { renderSummary } from '../../src/pr/render-summary.js';
import { diffReports, hasSignificantChange, significantIncreases, type Thresholds } from '../../src/pr/report-diff.js';
import type { RenderContext } from '../../src/pr/size-markdown.js';
import { applyBudgets } from '../../src/report/budgets.js';
import { renderTable } from '../../src/report/render-table.js';
import type { InvocationResult, Report } from '../../src/report/report.js';
import { validateReport } from '../../src/report/validate-report.js';
import { functionReport, layerReport, makeReport, MiB } from './fixtures.js';

const CTX: RenderContext = { commentKey: 'sizes', tool: { name: 'lambda-layers', version: '0.1.0' } };
const T: Thresholds = { minBytes: 1, minPercent: 0, minColdStartMs: 100, minColdStartPercent: 20 };

function event(initDurationMs: number, maxMemoryUsedMB: number, extra: Partial<InvocationResult> = {}): InvocationResult {
  return {
    event: 'events/predict.json',
    status: 'passed',
    initDurationMs,
    durationMs: 12,
    billedDurationMs: 12,
    memorySizeMB: 1024,
    maxMemoryUsedMB,
    ...extra
  };
}

/** One layer and two functions; Predict's events ran with the given cold start and memory. */
function app(coldStart: number | undefined, memory: number): Report {
  return makeReport({
    layers: [layerReport({ name: 'MlLayer', unzippedBytes: 100 * MiB, zippedBytes: 30 * MiB })],
    functions: [
      functionReport({
        name: 'Predict',
        layers: ['MlLayer'],
        codeUnzippedBytes: 1000,
        totalUnzippedBytes: 100 * MiB + 1000,
        memorySizeMB: 1024,
        ...(coldStart !== undefined && { invocations: { status: 'ran', results: [event(coldStart / 2, 100), event(coldStart, memory)] } })
      }),
      functionReport({ name: 'Validate', codeUnzippedBytes: 500, totalUnzippedBytes: 500 })
    ],
    memoryWarnPercent: 80
  });
}

describe('cold start and memory against the base', () => {
  test('the slowest Init Duration and the largest Max Memory Used, with their changes', () => {
    const diff = diffReports(app(1000, 300), app(1400, 320), T);
    expect(diff.ran).toBe(true);
    expect(diff.functions[0]!.run).toEqual({
      coldStartMs: { base: 1000, head: 1400, delta: 400, percent: 40 },
      maxMemoryMB: { base: 300, head: 320, delta: 20, percent: 20 / 3 },
      memorySizeMB: 1024,
      memoryPercent: 31.25,
      memoryWarning: false,
      coldStartGrew: true
    });
    expect(diff.functions[1]!.run).toBeUndefined();
  });

  test.each([
    ['+40% and +400 ms: flagged', 1000, 1400, true],
    ['+50 ms is below min-cold-start-change-ms', 100, 150, false],
    ['+10% is below min-cold-start-change-percent', 2000, 2200, false],
    ['a shorter cold start is never flagged', 2000, 1000, false]
  ])('%s', (_name, before, after, grew) => {
    const diff = diffReports(app(before, 300), app(after, 300), T);
    expect(diff.functions[0]!.run!.coldStartGrew).toBe(grew);
    // A cold start that grew is worth a comment (on-change) but never fails fail-on-increase: sizes do.
    expect(hasSignificantChange(diff)).toBe(grew);
    expect(significantIncreases(diff)).toEqual([]);
  });

  test('the comment gains cold start and max memory columns, labelled as measured on the build machine', () => {
    const comment = renderComment(diffReports(app(1000, 300), app(1400, 850), T), CTX);
    expect(comment).toContain('| function | size (code + layers) | Δ | share of the limit | cold start | max memory |');
    expect(comment).toContain('| 1,400 ms (+400 ms) :chart_with_upwards_trend: | :warning: 850 of 1,024 MB (+550 MB) |');
    expect(comment).toContain('Measured on the build machine');
    // The row whose size did not change stays in the main table because its cold start grew.
    expect(comment.split('<details>')[0]).toContain('| Predict |');
  });

  test('without a base the figures stand alone', () => {
    const comment = renderComment(diffReports(undefined, app(1400, 300), T), CTX);
    expect(comment).toContain('| 1,400 ms | 300 of 1,024 MB |');
  });

  test('without any event the comment has no such columns', () => {
    const comment = renderComment(diffReports(app(undefined, 0), app(undefined, 0), T), CTX);
    expect(comment).not.toContain('cold start');
    expect(comment).not.toContain('build machine');
  });

  test('the summary lists every event with its figures and error', () => {
    const head = app(1400, 300);
    head.functions[0]!.invocations!.results.push(
      event(900, 50, {
        event: 'events/bad.json',
        status: 'failed',
        errorType: 'Runtime.ImportModuleError',
        errorMessage: 'No module named x'
      })
    );
    const summary = renderSummary(diffReports(undefined, head, T), CTX, head);
    expect(summary).toContain('#### Invocations');
    expect(summary).toContain(
      '| Predict | events/bad\\.json | failed | 900 ms | 12 ms | 50 of 1,024 MB | Runtime\\.ImportModuleError: No module named x |'
    );
  });

  test('the terminal table adds cold start and memory, and the budgets', () => {
    const head = applyBudgets(
      app(1400, 850),
      { layers: new Map([['MlLayer', { unzippedBytes: 100_000_000, onOver: 'warn' }]]), functions: new Map() },
      80
    );
    const table = renderTable(head);
    expect(table).toContain('measured on the build machine');
    expect(table).toMatch(/Predict\s+2\s+1,400 ms\s+850 MB\s+1,024 MB\s+83\.0%/);
    expect(table).toMatch(/layer MlLayer\s+unzipped\s+104\.9 MB\s+100\.0 MB\s+104\.9%\s+OVER \(warn\)/);
  });
});

describe('budgets in the comment', () => {
  const head = applyBudgets(
    app(1400, 300),
    {
      layers: new Map([['MlLayer', { unzippedBytes: 100_000_000, onOver: 'warn' }]]),
      functions: new Map([['Predict', { coldStartMs: 1000, unzippedBytes: 250_000_000, onOver: 'fail' }]])
    },
    80
  );

  test('each budget with its share; over ones marked by what they do', () => {
    const comment = renderComment(diffReports(undefined, head, T), CTX);
    expect(comment).toContain('**Budgets** (sizes in MB = 1,000,000 bytes; cold start measured on the build machine)');
    expect(comment).toContain('| :warning: layer MlLayer, unzipped | 104.9 MB | 100.0 MB | `██████████` 104.9% | over (warn) |');
    expect(comment).toContain('| function Predict, unzipped | 104.9 MB | 250.0 MB | `████░░░░░░` 41.9% | within |');
    expect(comment).toContain('| :x: function Predict, cold start | 1,400 ms | 1,000 ms | `██████████` 140.0% | over (fail) |');
  });

  test('a comment too long for GitHub keeps the budgets that are over, within the cap', () => {
    const many = makeReport({
      functions: Array.from({ length: 1500 }, (_, i) =>
        functionReport({ name: `Function${'X'.repeat(40)}${i}`, codeUnzippedBytes: 1000 + i, totalUnzippedBytes: 1000 + i })
      )
    });
    const budgets = new Map(many.functions.map((f, i) => [f.name, { unzippedBytes: i < 3 ? 10 : 10_000_000, onOver: 'fail' as const }]));
    const head = applyBudgets(many, { layers: new Map(), functions: budgets }, 80);
    const comment = renderComment(diffReports(undefined, head, T), CTX);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(comment).toContain(`| :x: function Function${'X'.repeat(40)}0, unzipped |`);
    expect(comment).not.toContain('| within |');
  });

  test('an over budget is worth a comment even when nothing changed', () => {
    expect(hasSignificantChange(diffReports(head, head, T))).toBe(true);
  });
});

describe('hostile text in a report read back', () => {
  const read = (report: Report) => validateReport(JSON.parse(JSON.stringify(report)), 'report.json', 'base report');

  test('an event name and an error message with markdown and HTML are shown, never rendered', () => {
    // Names are logical IDs (checked when read); events and errors are free text.
    const head = app(1400, 300);
    head.functions[0]!.invocations!.results[0] = event(700, 100, {
      event: 'events/<img src=x onerror=alert(1)>.json',
      status: 'failed',
      errorType: '**bold**',
      errorMessage: '[click](https://evil.example) @admin'
    });
    const summary = renderSummary(diffReports(undefined, read(head), T), CTX, read(head));
    expect(summary).toContain('events/\\<img src=x onerror=alert\\(1\\)\\>\\.json');
    expect(summary).toContain('\\*\\*bold\\*\\*: \\[click\\]\\(https://evil\\.example\\) @\u200badmin');
    expect(summary).not.toMatch(/(?<!\\)<img/);
  });

  test.each([
    [
      'a control character in an event',
      (r: Report) => (r.functions[0]!.invocations!.results[0]!.event = 'a\u001b[31mred'),
      'functions[0].invocations.results[0].event'
    ],
    ['a negative cold start', (r: Report) => (r.functions[0]!.invocations!.results[0]!.initDurationMs = -1), 'initDurationMs'],
    ['an unknown status', (r: Report) => ((r.functions[0]!.invocations!.results[0] as { status: string }).status = 'ok'), 'status'],
    [
      'a budget with no limit',
      (r: Report) => (r.layers[0]!.budget = { limit: 0, measured: 0, percent: 0, over: false, onOver: 'fail' }),
      'layers[0].budget.limit'
    ],
    [
      'a budget that does something else',
      (r: Report) => (r.layers[0]!.budget = { limit: 1, measured: 0, percent: 0, over: false, onOver: 'explode' as 'fail' }),
      'layers[0].budget.onOver'
    ],
    ['a memory size in words', (r: Report) => ((r.functions[0] as { memorySizeMB: unknown }).memorySizeMB = 'lots'), 'memorySizeMB'],
    ['a memory share over 100', (r: Report) => (r.memoryWarnPercent = 101), 'memoryWarnPercent']
  ])('%s is refused, naming the field', (_name, spoil, field) => {
    const report = app(1400, 300);
    spoil(report);
    expect(() => read(report)).toThrow(field);
  });

  test('invocations, MemorySize, budgets and the memory share survive a round trip', () => {
    const head = applyBudgets(
      app(1400, 300),
      {
        layers: new Map([['MlLayer', { unzippedBytes: 1, onOver: 'warn' }]]),
        functions: new Map([['Predict', { coldStartMs: 1000, onOver: 'fail' }]])
      },
      80
    );
    expect(read(head)).toEqual({ ...head, withinLimits: true, verified: true });
  });
});
