import type { Report } from '../report/report.js';
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
}

export interface Thresholds {
  minBytes: number;
  minPercent: number;
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
  return {
    hasBase: from !== undefined,
    limit,
    layers: diffRows('layer', from && layerSizes(from), layerSizes(head), limit, thresholds),
    functions: diffRows('function', from && functionSizes(from), functionSizes(head), limit, thresholds),
    total: change(from && builtBytes(from), builtBytes(head)),
    changes: from ? contentChanges(from, head) : [],
    ...(from &&
      from.tool.version !== head.tool.version && {
        toolChange: { from: `${from.tool.name} ${from.tool.version}`, to: `${head.tool.name} ${head.tool.version}` }
      })
  };
}
/** Rows whose unzipped size grew past the thresholds (what fail-on-increase fails on). */
export function significantIncreases(diff: ReportDiff): DiffRow[] {
  return [...diff.layers, ...diff.functions].filter((r) => r.status === 'changed' && r.unzipped.delta > 0 && !r.belowThreshold);
}

/** Whether anything is worth a comment: on-change posts only then (but always refreshes an existing comment). Over the limit always is. */
export function hasSignificantChange(diff: ReportDiff): boolean {
  return [...diff.layers, ...diff.functions].some((r) => r.overLimit || (!r.belowThreshold && r.status !== 'no-baseline'));
}
