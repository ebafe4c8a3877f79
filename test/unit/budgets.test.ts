import { applyBudgets, budgetOf, budgetTargets, memoryWarning, overBudget, type BudgetTargets } from '../../src/report/budgets.js';
import type { FunctionReport, InvocationResult } from '../../src/report/report.js';
import { withVerdicts } from '../../src/report/verdicts.js';
import { reportFailure } from '../../src/commands/report-outputs.js';
import { DEFAULT_BUDGETS } from '../../src/settings/budget-settings.js';
import { functionReport, layerReport, makeReport } from './fixtures.js';

const MB = 1_000_000;

function event(overrides: Partial<InvocationResult> = {}): InvocationResult {
  return {
    event: 'events/ok.json',
    status: 'passed',
    initDurationMs: 800,
    durationMs: 40,
    billedDurationMs: 40,
    memorySizeMB: 1024,
    maxMemoryUsedMB: 300,
    ...overrides
  };
}

function ran(name: string, results: InvocationResult[], extra: Partial<FunctionReport> = {}): FunctionReport {
  return functionReport({ name, memorySizeMB: 1024, invocations: { status: 'ran', results }, ...extra });
}

const targets = (layers: BudgetTargets['layers'] = new Map(), functions: BudgetTargets['functions'] = new Map()): BudgetTargets => ({
  layers,
  functions
});

describe('budgetOf', () => {
  test.each([
    [100 * MB, 111_923_572, 111.9, true],
    [100 * MB, 100 * MB, 100, false],
    [50 * MB, 24_028_444, 48.1, false]
  ])('%d limit, %d measured: %d%%, over %s', (limit, measured, percent, over) => {
    expect(budgetOf(limit, measured, 'warn')).toEqual({ limit, measured, percent, over, onOver: 'warn' });
  });
});

describe('budgetTargets', () => {
  test("the config file's keys win over the template Metadata's, one by one; the file's policy unless the budget has one", () => {
    const t = budgetTargets(
      { policy: 'warn', layers: { Core: { unzippedBytes: 90 * MB } }, functions: { Predict: { coldStartMs: 2000, policy: 'fail' } } },
      [
        { name: 'Core', budget: { unzippedBytes: 100 * MB, policy: 'fail' } },
        { name: 'Ml', budget: { unzippedBytes: 100 * MB } },
        { name: 'Aws' }
      ],
      [{ name: 'Predict', budget: { unzippedBytes: 200 * MB, coldStartMs: 3000 } }]
    );
    expect(t.layers).toEqual(
      new Map([
        ['Core', { unzippedBytes: 90 * MB, onOver: 'fail' }],
        ['Ml', { unzippedBytes: 100 * MB, onOver: 'warn' }]
      ])
    );
    expect(t.functions).toEqual(new Map([['Predict', { unzippedBytes: 200 * MB, coldStartMs: 2000, onOver: 'fail' }]]));
  });

  test('a budget the config file names for a resource the template does not have is not invented', () => {
    const t = budgetTargets({ ...DEFAULT_BUDGETS, layers: { Gone: { unzippedBytes: MB } } }, [{ name: 'Core' }], []);
    expect(t.layers.size).toBe(0);
  });
});

describe('applyBudgets', () => {
  const report = makeReport({
    layers: [layerReport({ name: 'Ml', unzippedBytes: 111_923_572 }), layerReport({ name: 'Aws', unzippedBytes: 24_028_444 })],
    functions: [
      ran('Predict', [event({ initDurationMs: 900 }), event({ event: 'events/big.json', initDurationMs: 1500, maxMemoryUsedMB: 850 })], {
        totalUnzippedBytes: 210 * MB
      }),
      functionReport({ name: 'Validate', totalUnzippedBytes: 90 * MB, memorySizeMB: 128 })
    ]
  });
  const applied = applyBudgets(
    report,
    targets(
      new Map([
        ['Ml', { unzippedBytes: 100 * MB, onOver: 'warn' }],
        ['Aws', { unzippedBytes: 50 * MB, onOver: 'fail' }]
      ]),
      new Map([
        ['Predict', { unzippedBytes: 250 * MB, coldStartMs: 1000, onOver: 'fail' }],
        ['Validate', { coldStartMs: 1000, onOver: 'fail' }]
      ])
    ),
    80
  );
  const [predict, validate] = applied.functions;

  test('a layer is held to its unzipped size; a function to code plus layers and to its slowest Init Duration', () => {
    expect(applied.layers.map((l) => l.budget)).toEqual([
      { limit: 100 * MB, measured: 111_923_572, percent: 111.9, over: true, onOver: 'warn' },
      { limit: 50 * MB, measured: 24_028_444, percent: 48.1, over: false, onOver: 'fail' }
    ]);
    expect(predict!.budgets).toEqual({
      unzippedBytes: { limit: 250 * MB, measured: 210 * MB, percent: 84, over: false, onOver: 'fail' },
      coldStartMs: { limit: 1000, measured: 1500, percent: 150, over: true, onOver: 'fail' }
    });
    expect(applied.memoryWarnPercent).toBe(80);
  });

  test('a cold-start budget no event measured is said, not passed silently', () => {
    expect(validate!.budgets).toBeUndefined();
    expect(validate!.warnings).toEqual(['cold-start budget of 1,000 ms not checked: no event ran (no invocations)']);
  });

  test('Max Memory Used at 83% of MemorySize is warned about, labelled as measured on the build machine', () => {
    expect(predict!.warnings).toEqual([
      'Max Memory Used 850 MB is 83.0% of MemorySize 1024 MB (warn at 80%; measured on the build machine): raise MemorySize or use less'
    ]);
  });

  test('overBudget lists what is over and what it does; only fail fails the run', () => {
    expect(overBudget(applied)).toEqual([
      { kind: 'layer', name: 'Ml', message: 'unzipped 111.9 MB is 111.9% of its 100.0 MB budget', onOver: 'warn' },
      {
        kind: 'function',
        name: 'Predict',
        message: 'cold start (slowest Init Duration, measured on the build machine) 1,500 ms is 150.0% of its 1,000 ms budget',
        onOver: 'fail'
      }
    ]);
    expect(reportFailure(applied)).toBe(
      'over budget (budget policy fail): function Predict cold start (slowest Init Duration, measured on the build machine) 1,500 ms is 150.0% of its 1,000 ms budget'
    );
    const warnOnly = applyBudgets(report, targets(new Map([['Ml', { unzippedBytes: 100 * MB, onOver: 'warn' }]])), 80);
    expect(overBudget(warnOnly)).toHaveLength(1);
    expect(reportFailure(warnOnly)).toBeUndefined();
  });

  test('a report read back is measured again: a budget claiming to be within is over when its figures say so', () => {
    const lying = {
      ...applied,
      layers: applied.layers.map((l) => ({ ...l, budget: { ...l.budget!, measured: 1, percent: 0, over: false } })),
      functions: applied.functions.map((f) => ({
        ...f,
        budgets: { coldStartMs: { limit: 1000, measured: 0, percent: 0, over: false, onOver: 'fail' as const } }
      }))
    };
    const again = withVerdicts(lying);
    expect(again.layers[0]!.budget).toEqual(applied.layers[0]!.budget);
    expect(again.functions[0]!.budgets).toEqual({ coldStartMs: predict!.budgets!.coldStartMs });
    // No event ran for Validate: a cold-start budget there has nothing to stand on and is dropped.
    expect(again.functions[1]!.budgets).toBeUndefined();
  });
});

describe('memoryWarning', () => {
  test.each([
    [[819], 1024, false],
    [[820], 1024, true],
    [[60, 110], 128, true],
    [[100], 128, false],
    [[], 1024, false]
  ])('Max Memory Used %j of %d MB: warned %s', (used, memorySizeMB, warned) => {
    const results = used.map((maxMemoryUsedMB) => event({ maxMemoryUsedMB }));
    expect(memoryWarning(ran('F', results, { memorySizeMB }), 80) !== undefined).toBe(warned);
  });

  test('no warning without a known MemorySize', () => {
    expect(memoryWarning(ran('F', [event({ maxMemoryUsedMB: 1000 })], { memorySizeMB: undefined }), 80)).toBeUndefined();
  });
});
