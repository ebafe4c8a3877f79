import type { Budget, FunctionReport, LayerReport, Report } from './report.js';
import { formatCount, formatMB } from '../shared/units.js';
import type { BudgetSettings, BudgetSpec } from '../settings/budget-settings.js';

/** One resource's budgets once the config file and the template's Metadata are merged. */
export interface BudgetTarget {
  unzippedBytes?: number;
  coldStartMs?: number;
  onOver: Budget['onOver'];
}

export interface BudgetTargets {
  layers: ReadonlyMap<string, BudgetTarget>;
  functions: ReadonlyMap<string, BudgetTarget>;
}

/** The config file's budgets over the template Metadata's, key by key; the file's policy unless the budget has one. Pure. */
export function budgetTargets(
  settings: BudgetSettings,
  layers: ReadonlyArray<{ name: string; budget?: BudgetSpec }>,
  functions: ReadonlyArray<{ name: string; budget?: BudgetSpec }>
): BudgetTargets {
  const merge = (specs: ReadonlyArray<{ name: string; budget?: BudgetSpec }>, file: Record<string, BudgetSpec>) =>
    new Map(
      specs.flatMap(({ name, budget }): Array<[string, BudgetTarget]> => {
        const { policy, ...limits } = { ...budget, ...file[name] };
        return Object.keys(limits).length ? [[name, { ...limits, onOver: policy ?? settings.policy }]] : [];
      })
    );
  return { layers: merge(layers, settings.layers), functions: merge(functions, settings.functions) };
}

/** How a measure stands against its limit. Pure. */
export function budgetOf(limit: number, measured: number, onOver: Budget['onOver']): Budget {
  return { limit, measured, percent: Math.round((1000 * measured) / limit) / 10, over: measured > limit, onOver };
}

const measuredOnly = (values: Array<number | undefined>): number[] => values.filter((v): v is number => v !== undefined);

/** The slowest event's Init Duration: the cold start a budget is held to; undefined when no event ran. */
export function coldStartMs(fn: FunctionReport): number | undefined {
  const inits = measuredOnly((fn.invocations?.results ?? []).map((r) => r.initDurationMs));
  return inits.length ? Math.max(...inits) : undefined;
}

/** The largest Max Memory Used of the function's events; undefined when no event ran. */
export function maxMemoryUsedMB(fn: FunctionReport): number | undefined {
  const used = (fn.invocations?.results ?? []).map((r) => r.maxMemoryUsedMB);
  return used.length ? Math.max(...used) : undefined;
}

/** Max Memory Used as a percentage of MemorySize, when both are known. */
export function memoryPercent(fn: FunctionReport): number | undefined {
  const used = maxMemoryUsedMB(fn);
  return used === undefined || !fn.memorySizeMB ? undefined : (100 * used) / fn.memorySizeMB;
}

export function memoryWarning(fn: FunctionReport, warnPercent: number): string | undefined {
  const share = memoryPercent(fn);
  if (share === undefined || share < warnPercent) return undefined;
  return (
    `Max Memory Used ${maxMemoryUsedMB(fn)} MB is ${share.toFixed(1)}% of MemorySize ${fn.memorySizeMB} MB ` +
    `(warn at ${warnPercent}%; measured on the build machine): raise MemorySize or use less`
  );
}

/** A budget again from the report's own figures: a report read from a file is never taken at its word. */
const again = (b: Budget | undefined, measured: number | undefined): Budget | undefined =>
  b && measured !== undefined ? budgetOf(b.limit, measured, b.onOver) : undefined;

export function layerWithBudget(l: LayerReport): LayerReport {
  const { budget: _, ...rest } = l;
  const budget = again(l.budget, l.unzippedBytes);
  return { ...rest, ...(budget && { budget }) };
}

export function functionWithBudgets(f: FunctionReport): FunctionReport {
  const { budgets: _, ...rest } = f;
  const unzippedBytes = again(f.budgets?.unzippedBytes, f.totalUnzippedBytes);
  const cold = again(f.budgets?.coldStartMs, coldStartMs(f));
  const budgets = { ...(unzippedBytes && { unzippedBytes }), ...(cold && { coldStartMs: cold }) };
  return { ...rest, ...(Object.keys(budgets).length && { budgets }) };
}

/**
 * The report with each resource's budgets measured, and the warnings budgets and memory give: a cold-start
 * budget no event measured, a function near its MemorySize. Pure.
 */
export function applyBudgets(report: Report, targets: BudgetTargets, memoryWarnPercent: number): Report {
  const layers = report.layers.map((l) => {
    const t = targets.layers.get(l.name);
    return t?.unzippedBytes ? { ...l, budget: budgetOf(t.unzippedBytes, l.unzippedBytes, t.onOver) } : l;
  });
  const functions = report.functions.map((f) => {
    const t = targets.functions.get(f.name);
    const cold = coldStartMs(f);
    const budgets = {
      ...(t?.unzippedBytes && { unzippedBytes: budgetOf(t.unzippedBytes, f.totalUnzippedBytes, t.onOver) }),
      ...(t?.coldStartMs && cold !== undefined && { coldStartMs: budgetOf(t.coldStartMs, cold, t.onOver) })
    };
    const memory = memoryWarning(f, memoryWarnPercent);
    const unchecked =
      t?.coldStartMs && cold === undefined
        ? `cold-start budget of ${formatCount(t.coldStartMs)} ms not checked: no event ran (${f.invocations?.reason ?? 'no invocations'})`
        : undefined;
    return {
      ...f,
      ...(Object.keys(budgets).length && { budgets }),
      warnings: [...f.warnings, ...(unchecked ? [unchecked] : []), ...(memory ? [memory] : [])]
    };
  });
  return { ...report, layers, functions, memoryWarnPercent };
}

export interface OverBudget {
  kind: 'layer' | 'function';
  name: string;
  /** The budget's message: what, how much, of what. */
  message: string;
  onOver: Budget['onOver'];
}

function describe(what: 'unzipped' | 'cold start', b: Budget): string {
  const [measured, limit] =
    what === 'unzipped' ? [formatMB(b.measured), formatMB(b.limit)] : [`${formatCount(b.measured)} ms`, `${formatCount(b.limit)} ms`];
  const label = what === 'unzipped' ? 'unzipped' : 'cold start (slowest Init Duration, measured on the build machine)';
  return `${label} ${measured} is ${b.percent.toFixed(1)}% of its ${limit} budget`;
}

/** Every budget the report is over, layers first, with what each does. Pure. */
export function overBudget(report: Report): OverBudget[] {
  const out: OverBudget[] = [];
  for (const l of report.layers) {
    if (l.budget?.over) out.push({ kind: 'layer', name: l.name, message: describe('unzipped', l.budget), onOver: l.budget.onOver });
  }
  for (const f of report.functions) {
    const { unzippedBytes, coldStartMs: cold } = f.budgets ?? {};
    if (unzippedBytes?.over)
      out.push({ kind: 'function', name: f.name, message: describe('unzipped', unzippedBytes), onOver: unzippedBytes.onOver });
    if (cold?.over) out.push({ kind: 'function', name: f.name, message: describe('cold start', cold), onOver: cold.onOver });
  }
  return out;
}
