import { InputError, type SourceLocation } from '../shared/errors.js';
import { isObject } from '../shared/json.js';

/** What being over a budget does: a warning, or a failed build. */
export type BudgetPolicy = 'warn' | 'fail';
export const BUDGET_POLICIES: BudgetPolicy[] = ['warn', 'fail'];

/** Budgets are written in decimal megabytes: 1 MB = 1,000,000 bytes (the seed's "< 100 MB"; Lambda's limit is 262.1 MB). */
export const BYTES_PER_MB = 1_000_000;

/** One layer's or function's budgets, as written (sizes already in bytes); unset keys have no budget. */
export interface BudgetSpec {
  unzippedBytes?: number;
  /** Functions only: the slowest event's Init Duration. */
  coldStartMs?: number;
  /** This resource's policy, over the file's. */
  policy?: BudgetPolicy;
}

export interface BudgetSettings {
  /** What an over-budget resource does unless its own budget says: fail by default (a budget is a gate). */
  policy: BudgetPolicy;
  layers: Record<string, BudgetSpec>;
  functions: Record<string, BudgetSpec>;
}

export const DEFAULT_BUDGETS: BudgetSettings = { policy: 'fail', layers: {}, functions: {} };

/** Where a key of the file is: the file, and the line when the reader knows it. */
export type Locate = (path: ReadonlyArray<string | number>) => SourceLocation;

export function budgetPolicy(value: unknown, what: string, where: SourceLocation): BudgetPolicy {
  if (!BUDGET_POLICIES.includes(value as BudgetPolicy)) {
    throw new InputError(`${what} must be one of ${BUDGET_POLICIES.join(', ')}, got ${JSON.stringify(value)}`, where);
  }
  return value as BudgetPolicy;
}

function positive(value: unknown, what: string, where: SourceLocation): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(`${what} must be a number above 0, got ${JSON.stringify(value)}`, where);
  }
  return value;
}

/** The keys of one budget: `unzippedMB`, `coldStartMs`, `policy` (config file) or their PascalCase (template Metadata). */
interface BudgetKeys {
  unzipped: string;
  coldStart: string;
  policy: string;
}

export const CONFIG_KEYS: BudgetKeys = { unzipped: 'unzippedMB', coldStart: 'coldStartMs', policy: 'policy' };
export const METADATA_KEYS: BudgetKeys = { unzipped: 'UnzippedMB', coldStart: 'ColdStartMs', policy: 'Policy' };

/** One resource's budget mapping; `prefix` names it in messages (`budgets.layers.Core`, `Metadata.LambdaLayers.Budget`). */
export function parseBudget(
  raw: unknown,
  kind: 'layer' | 'function',
  keys: BudgetKeys,
  prefix: string,
  at: (key?: string) => SourceLocation
): BudgetSpec {
  if (!isObject(raw)) throw new InputError(`${prefix} must be a mapping`, at());
  // A layer is never invoked: it has no cold start of its own.
  const allowed = kind === 'layer' ? [keys.unzipped, keys.policy] : [keys.unzipped, keys.coldStart, keys.policy];
  const spec: BudgetSpec = {};
  for (const [key, value] of Object.entries(raw)) {
    const what = `${prefix}.${key}`;
    if (key === keys.unzipped) spec.unzippedBytes = Math.round(positive(value, what, at(key)) * BYTES_PER_MB);
    else if (key === keys.coldStart && kind === 'function') spec.coldStartMs = positive(value, what, at(key));
    else if (key === keys.policy) spec.policy = budgetPolicy(value, what, at(key));
    else throw new InputError(`unknown key "${what}" (a ${kind} budget has ${allowed.join(', ')})`, at(key));
  }
  return spec;
}

/** The config file's `budgets:` section: `policy`, then budgets by layer and function logical ID. */
export function parseBudgets(raw: unknown, locate: Locate): BudgetSettings {
  if (!isObject(raw)) throw new InputError('budgets must be a mapping of policy, layers and functions', locate(['budgets']));
  const budgets: BudgetSettings = { policy: DEFAULT_BUDGETS.policy, layers: {}, functions: {} };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'policy') budgets.policy = budgetPolicy(value, 'budgets.policy', locate(['budgets', key]));
    else if (key === 'layers' || key === 'functions') {
      if (!isObject(value)) throw new InputError(`budgets.${key} must be a mapping of logical ID to budget`, locate(['budgets', key]));
      const kind = key === 'layers' ? 'layer' : 'function';
      for (const [name, budget] of Object.entries(value)) {
        const path = ['budgets', key, name];
        budgets[key][name] = parseBudget(budget, kind, CONFIG_KEYS, path.join('.'), (k) => locate(k ? [...path, k] : path));
      }
    } else throw new InputError(`unknown key "budgets.${key}" (expected policy, layers, functions)`, locate(['budgets', key]));
  }
  return budgets;
}
