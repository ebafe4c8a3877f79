import { InputError } from '../shared/errors.js';
import type { FunctionReport, LayerReport, Report } from './report.js';
import { withVerdicts } from './verdicts.js';

/** One matrix job's report and the file it came from (for messages). */
export interface ReportPart {
  file: string;
  report: Report;
}

/** Two entries describe the same build: same key and zip for a layer, same zip and total for a function. */
const sameLayer = (a: LayerReport, b: LayerReport) => a.buildKey === b.buildKey && a.sha256 === b.sha256;
const sameFunction = (a: FunctionReport, b: FunctionReport) => a.sha256 === b.sha256 && a.totalUnzippedBytes === b.totalUnzippedBytes;

function mergeEntries<T extends { name: string }>(
  parts: readonly ReportPart[],
  entries: (report: Report) => readonly T[],
  same: (a: T, b: T) => boolean,
  describe: (entry: T) => string,
  kind: string
): T[] {
  const merged = new Map<string, { entry: T; file: string }>();
  for (const { file, report } of parts) {
    for (const entry of entries(report)) {
      const seen = merged.get(entry.name);
      if (!seen) merged.set(entry.name, { entry, file });
      else if (!same(seen.entry, entry)) {
        throw new InputError(
          `${kind} ${entry.name} differs between ${seen.file} (${describe(seen.entry)}) and ${file} (${describe(entry)}): were they built from the same commit?`
        );
      }
    }
  }
  return [...merged.values()].map((m) => m.entry);
}

function requireSame(parts: readonly ReportPart[], what: string, value: (report: Report) => unknown): void {
  const [first, ...rest] = parts;
  if (!first) return;
  const expected = JSON.stringify(value(first.report));
  const other = rest.find((p) => JSON.stringify(value(p.report)) !== expected);
  if (other)
    throw new InputError(`${first.file} and ${other.file} have different ${what}: ${expected} and ${JSON.stringify(value(other.report))}`);
}

/**
 * One report from the reports of a matrix's jobs (each built some of the template's layers). The
 * same layer or function reported twice must be the same build (functions without layers are
 * checked by every job). A function no job checked stays in `skipped`. The verdicts are measured
 * again from the merged sizes and limits, never taken from the parts. Pure.
 */
export function mergeReports(parts: readonly ReportPart[]): Report {
  const [first] = parts;
  if (!first) throw new InputError('merge: no report files');
  requireSame(parts, 'templates', (r) => r.template);
  requireSame(parts, 'tool versions', (r) => r.tool);
  requireSame(parts, 'limits', (r) => r.limits);
  const layers = mergeEntries(
    parts,
    (r) => r.layers,
    sameLayer,
    (l) => `build ${l.buildKey}, zip ${l.sha256.slice(0, 12)}`,
    'layer'
  );
  const functions = mergeEntries(
    parts,
    (r) => r.functions,
    sameFunction,
    (f) => `${f.totalUnzippedBytes} bytes, zip ${f.sha256.slice(0, 12)}`,
    'function'
  );
  // "Name: reason" entries for resources some job did build are no longer skipped.
  const built = new Set([...layers, ...functions].map((e) => e.name));
  const skipped = [...new Set(parts.flatMap((p) => p.report.skipped))].filter((s) => !built.has(s.slice(0, s.indexOf(':'))));
  return withVerdicts({ ...first.report, layers, functions, skipped });
}
