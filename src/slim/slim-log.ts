import { isObject } from '../shared/json.js';

/** What slimming did to one layer: the report's view, and the paths verification needs. */
export interface RemovedByRule {
  rule: string;
  files: number;
  bytes: number;
}

export interface SlimLog {
  enabled: boolean;
  beforeBytes: number;
  afterBytes: number;
  /** Bytes removed per rule (dedupe against lower layers is "provided-by:<layer>"). */
  removed: RemovedByRule[];
  /** Bytes removed per distribution, largest first. */
  removedByPackage: Array<{ name: string; bytes: number }>;
  strip: { files: number; bytesSaved: number; restored: string[]; skipped?: string };
  bytecode: {
    mode: string;
    python?: string;
    /** The interpreter that wrote it and its CPU: any CPU's CPython of the version writes the same bytes. */
    interpreter?: string;
    /** The .pyc magic number (hex): the bytecode version, which must match the runtime's. */
    magic?: string;
    files: number;
    skipped?: string;
  };
  notes: string[];
  /** Distributions left out because a lower layer (or, for a function, one of its layers) provides them. */
  deduped: string[];
  /** Every removed path (site-relative) and its rule: verification names the rule behind a missing file. */
  removedPaths: Array<[string, string]>;
}

/** Whether a record read back (from the cache) has a slim log's shape. */
export function isSlimLog(value: unknown): value is SlimLog {
  if (!isObject(value)) return false;
  const { strip, bytecode } = value;
  return (
    typeof value['enabled'] === 'boolean' &&
    Number.isFinite(value['beforeBytes']) &&
    Number.isFinite(value['afterBytes']) &&
    ['removed', 'removedByPackage', 'notes', 'deduped', 'removedPaths'].every((field) => Array.isArray(value[field])) &&
    isObject(strip) &&
    Array.isArray(strip['restored']) &&
    isObject(bytecode) &&
    typeof bytecode['mode'] === 'string'
  );
}

export function emptySlimLog(enabled: boolean, bytes: number, mode: string): SlimLog {
  return {
    enabled,
    beforeBytes: bytes,
    afterBytes: bytes,
    removed: [],
    removedByPackage: [],
    strip: { files: 0, bytesSaved: 0, restored: [] },
    bytecode: { mode, files: 0 },
    notes: [],
    deduped: [],
    removedPaths: []
  };
}

function entry<T>(list: T[], match: (item: T) => boolean, make: () => T): T {
  const found = list.find(match);
  if (found) return found;
  const made = make();
  list.push(made);
  return made;
}

/** Adds removals to the log, by rule and by package. Pure. */
export function recordRemovals(log: SlimLog, removals: ReadonlyArray<{ path: string; bytes: number; rule: string; owner?: string }>): void {
  for (const r of removals) {
    const byRule = entry(
      log.removed,
      (x) => x.rule === r.rule,
      () => ({ rule: r.rule, files: 0, bytes: 0 })
    );
    byRule.files++;
    byRule.bytes += r.bytes;
    const name = r.owner ?? '(unclaimed)';
    entry(
      log.removedByPackage,
      (x) => x.name === name,
      () => ({ name, bytes: 0 })
    ).bytes += r.bytes;
    log.removedPaths.push([r.path, r.rule]);
  }
  log.removedByPackage.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}
