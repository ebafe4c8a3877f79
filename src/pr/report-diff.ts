import type { Budget, Report } from '../report/report.js';
import { coldStartMs, maxMemoryUsedMB, memoryPercent } from '../report/budgets.js';
import { contentChanges, type ArtifactChange } from './package-changes.js';

/** A row's story between the base and the head report; `no-baseline` when there is no base report at all. */
export type RowStatus = 'new' | 'removed' | 'changed' | 'unchanged' | 'no-baseline';

export interface SizeChange {
  base?: number;
  head?: number;
  /** head - base, 0 when either side is missing. */
  delta: number;
  /** delta as a percentage of base; undefined when base is missing or 0. */
  percent?: number;
}

export interface DiffRow {
  kind: 'layer' | 'function';
  name: string;
  status: RowStatus;
  /** Layers: the layer unzipped; functions: code plus all layers (what the limit applies to). */
  unzipped: SizeChange;
  /** Layers: the layer's zip; functions: the zip of the function's own code (its layers are not in it). */
  zipped: SizeChange;
  /** Functions: their own code, unzipped. */
  code?: SizeChange;
  /** The head's unzipped size as a percentage of the limit (the base's when removed). */
  limitPercent: number;
  overLimit: boolean;
  /** Shown collapsed: no change, or a change smaller than the thresholds. */
  belowThreshold: boolean;
  /** Functions whose events ran: the slowest Init Duration and the largest Max Memory Used (build machine). */
  run?: RunFigures;
}

export interface RunFigures {
  coldStartMs: SizeChange;
  maxMemoryMB: SizeChange;
  /** The head's MemorySize, and Max Memory Used as a share of it. */
  memorySizeMB?: number;
  memoryPercent?: number;
  /** At or above the head report's memoryWarnPercent. */
  memoryWarning: boolean;
  /** The cold start grew beyond both cold-start thresholds. */
  coldStartGrew: boolean;
}

/** A budget of the head report, for the budgets table. */
export interface BudgetRow {
  kind: 'layer' | 'function';
  name: string;
  what: 'unzipped' | 'cold start';
  budget: Budget;
}

export interface Thresholds {
  minBytes: number;
  minPercent: number;
  /** Cold-start growth thresholds (both must be reached); 0 when not given. */
  minColdStartMs?: number;
  minColdStartPercent?: number;
}

export interface ReportDiff {
  hasBase: boolean;
  limit: number;
  layers: DiffRow[];
  functions: DiffRow[];
  /** Everything built: every layer plus every function's own code, unzipped. */
  total: SizeChange;
  /** Why: the layers and functions whose content changed, with their packages (empty without a base). */
  changes: ArtifactChange[];
  /** The tool's version, when the base was built by another one (it can explain a change). */
  toolChange?: { from: string; to: string };
  /** Some function's events ran (head or base): the tables show cold start and memory. */
  ran: boolean;
  budgets: BudgetRow[];
}

interface Sizes {
  unzipped: number;
  zipped: number;
  code?: number;
  overLimit: boolean;
}

function change(base: number | undefined, head: number | undefined): SizeChange {
  const delta = base !== undefined && head !== undefined ? head - base : 0;
  const percent = base ? (100 * delta) / base : undefined;
  return { base, head, delta, ...(percent !== undefined && { percent }) };
}

/** A change counts when it reaches both thresholds; new, removed and over-limit rows always count. */
export function isSignificant(c: SizeChange, t: Thresholds): boolean {
  if (c.delta === 0) return false;
  return Math.abs(c.delta) >= t.minBytes && (c.percent === undefined || Math.abs(c.percent) >= t.minPercent);
}

function diffRows(
  kind: DiffRow['kind'],
  base: Map<string, Sizes> | undefined,
  head: Map<string, Sizes>,
  limit: number,
  t: Thresholds
): DiffRow[] {
  const names = [...head.keys(), ...[...(base?.keys() ?? [])].filter((n) => !head.has(n))];
  return names.map((name) => {
    const b = base?.get(name);
    const h = head.get(name);
    const unzipped = change(b?.unzipped, h?.unzipped);
    const zipped = change(b?.zipped, h?.zipped);
    const code = kind === 'function' ? change(b?.code, h?.code) : undefined;
    const status: RowStatus = !base
      ? 'no-baseline'
      : !b
        ? 'new'
        : !h
          ? 'removed'
          : unzipped.delta !== 0 || zipped.delta !== 0
            ? 'changed'
            : 'unchanged';
    const overLimit = h?.overLimit ?? false;
    const shown = status === 'new' || status === 'removed' || status === 'no-baseline' || overLimit || isSignificant(unzipped, t);
    return {
      kind,
      name,
      status,
      unzipped,
      zipped,
      ...(code && { code }),
      limitPercent: (100 * (h ?? b)!.unzipped) / limit,
      overLimit,
      belowThreshold: !shown
    };
  });
}

interface RunSide {
  coldStartMs?: number;
  maxMemoryMB?: number;
  memorySizeMB?: number;
  memoryPercent?: number;
}

function runSides(report: Report): Map<string, RunSide> {
  return new Map(
    report.functions.map((f) => [
      f.name,
      { coldStartMs: coldStartMs(f), maxMemoryMB: maxMemoryUsedMB(f), memorySizeMB: f.memorySizeMB, memoryPercent: memoryPercent(f) }
    ])
  );
}

function runFigures(b: RunSide | undefined, h: RunSide | undefined, warnAt: number | undefined, t: Thresholds): RunFigures | undefined {
  if (h?.coldStartMs === undefined && h?.maxMemoryMB === undefined && b?.coldStartMs === undefined && b?.maxMemoryMB === undefined)
    return undefined;
  const coldStart = change(b?.coldStartMs, h?.coldStartMs);
  const grew = coldStart.delta > 0 && isSignificant(coldStart, { minBytes: t.minColdStartMs ?? 0, minPercent: t.minColdStartPercent ?? 0 });
  return {
    coldStartMs: coldStart,
    maxMemoryMB: change(b?.maxMemoryMB, h?.maxMemoryMB),
    ...(h?.memorySizeMB !== undefined && { memorySizeMB: h.memorySizeMB }),
    ...(h?.memoryPercent !== undefined && { memoryPercent: h.memoryPercent }),
    memoryWarning: warnAt !== undefined && h?.memoryPercent !== undefined && h.memoryPercent >= warnAt,
    coldStartGrew: grew
  };
}

function budgetRows(report: Report): BudgetRow[] {
  return [
    ...report.layers.flatMap((l): BudgetRow[] => (l.budget ? [{ kind: 'layer', name: l.name, what: 'unzipped', budget: l.budget }] : [])),
    ...report.functions.flatMap((f): BudgetRow[] => [
      ...(f.budgets?.unzippedBytes
        ? [{ kind: 'function' as const, name: f.name, what: 'unzipped' as const, budget: f.budgets.unzippedBytes }]
        : []),
      ...(f.budgets?.coldStartMs
        ? [{ kind: 'function' as const, name: f.name, what: 'cold start' as const, budget: f.budgets.coldStartMs }]
        : [])
    ])
  ];
}

function layerSizes(report: Report): Map<string, Sizes> {
  return new Map(
    report.layers.map((l) => [l.name, { unzipped: l.unzippedBytes, zipped: l.zippedBytes, overLimit: l.violations.length > 0 }])
  );
}

function functionSizes(report: Report): Map<string, Sizes> {
  return new Map(
    report.functions.map((f) => [
      f.name,
      { unzipped: f.totalUnzippedBytes, zipped: f.zippedBytes, code: f.codeUnzippedBytes, overLimit: !f.withinLimits }
    ])
  );
}

function builtBytes(report: Report): number {
  return report.layers.reduce((s, l) => s + l.unzippedBytes, 0) + report.functions.reduce((s, f) => s + f.codeUnzippedBytes, 0);
}

/** The base cut to what a partial head (a matrix job's layers) has: what the job did not build is not "removed". */
function sameRowsAs(base: Report, head: Report): Report {
  const layers = new Set(head.layers.map((l) => l.name));
  const functions = new Set(head.functions.map((f) => f.name));
  return { ...base, layers: base.layers.filter((l) => layers.has(l.name)), functions: base.functions.filter((f) => functions.has(f.name)) };
}

/** Base report (or none) against the head report, row by row. Pure. */
export function diffReports(base: Report | undefined, head: Report, thresholds: Thresholds, partial = false): ReportDiff {
  const limit = head.limits.unzippedBytes;
  const from = base && partial ? sameRowsAs(base, head) : base;
  const [baseRun, headRun] = [from && runSides(from), runSides(head)];
  const functions = diffRows('function', from && functionSizes(from), functionSizes(head), limit, thresholds).map((row) => {
    const run = runFigures(baseRun?.get(row.name), headRun.get(row.name), head.memoryWarnPercent, thresholds);
    return run ? { ...row, run } : row;
  });
  return {
    hasBase: from !== undefined,
    limit,
    layers: diffRows('layer', from && layerSizes(from), layerSizes(head), limit, thresholds),
    functions,
    total: change(from && builtBytes(from), builtBytes(head)),
    changes: from ? contentChanges(from, head) : [],
    ...(from &&
      from.tool.version !== head.tool.version && {
        toolChange: { from: `${from.tool.name} ${from.tool.version}`, to: `${head.tool.name} ${head.tool.version}` }
      }),
    ran: functions.some((f) => f.run),
    budgets: budgetRows(head)
  };
}
/** Rows whose unzipped size grew past the thresholds (what fail-on-increase fails on). */
export function significantIncreases(diff: ReportDiff): DiffRow[] {
  return [...diff.layers, ...diff.functions].filter((r) => r.status === 'changed' && r.unzipped.delta > 0 && !r.belowThreshold);
}

/** Whether anything is worth a comment: on-change posts only then (but always refreshes an existing comment). Over the limit or a budget always is. */
export function hasSignificantChange(diff: ReportDiff): boolean {
  return (
    [...diff.layers, ...diff.functions].some(
      (r) => r.overLimit || r.run?.coldStartGrew || (!r.belowThreshold && r.status !== 'no-baseline')
    ) || diff.budgets.some((b) => b.budget.over)
  );
}
