import { InputError } from '../shared/errors.js';
import { isObject, type Json } from '../shared/json.js';
import type { Limits, PackageSize } from '../lambda/limits.js';
import { LOGICAL_ID } from '../lambda/names.js';
import {
  PHASES,
  REPORT_VERSION,
  type FunctionReport,
  type ImportFailure,
  type LayerReport,
  type Phase,
  type Report,
  type Timings
} from './report.js';
import { withVerdicts } from './verdicts.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const BUILD_KEY = /^[0-9a-f]{32}$/;
const RUNTIME = /^[a-z][a-z0-9.]{0,31}$/;
const ARCHITECTURES = ['x86_64', 'arm64'];
const STATUSES = ['passed', 'failed', 'skipped'] as const;
/** One line of text: no line breaks or other control characters (they could start a log line of their own). */
const LABEL = /^[^\p{Cc}\u2028\u2029]{1,1024}$/u;
/** A package's version: empty for the function's own code. */
const VERSION = /^[^\p{Cc}\u2028\u2029]{0,1024}$/u;
/** Messages (pip and Python errors) may span lines; other control characters are refused. */
const MESSAGE = /^[^\p{Cc}\u2028\u2029]*(?:\n[^\p{Cc}\u2028\u2029]*)*$/u;
const MESSAGE_MAX = 65_536;

/**
 * A size report read from a file (a matrix job's, a downloaded one, another commit's): everything a pull
 * request's code could have written. Checked field by field, every field the renderers, merge and the
 * outputs read; an InputError names the file and the field path. Verdicts are recomputed (withVerdicts),
 * never copied. Pure.
 */
export function validateReport(value: unknown, file: string, what: string): Report {
  const fail = (field: string, problem: string): never => {
    throw new InputError(`${what}: ${field ? `${field}: ` : ''}${problem}`, { file });
  };
  const object = (v: unknown, field: string): Json => (isObject(v) ? v : fail(field, 'expected an object'));
  const list = (v: unknown, field: string): unknown[] => (Array.isArray(v) ? v : fail(field, 'expected a list'));
  const boolean = (v: unknown, field: string): boolean => (typeof v === 'boolean' ? v : fail(field, 'expected true or false'));
  const size = (v: unknown, field: string): number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(field, `expected a whole number of 0 or more, got ${show(v)}`);
  const matching = (v: unknown, field: string, pattern: RegExp, expected: string): string =>
    typeof v === 'string' && pattern.test(v) ? v : fail(field, `expected ${expected}, got ${show(v)}`);
  const label = (v: unknown, field: string) => matching(v, field, LABEL, 'one line of text');
  const message = (v: unknown, field: string): string =>
    typeof v === 'string' && v.length <= MESSAGE_MAX && MESSAGE.test(v) ? v : fail(field, `expected text without control characters`);
  const labels = (v: unknown, field: string) => list(v, field).map((item, i) => label(item, `${field}[${i}]`));
  const messages = (v: unknown, field: string) => list(v, field).map((item, i) => message(item, `${field}[${i}]`));
  const optional = <T>(entry: Json, key: string, field: string, read: (v: unknown, field: string) => T): T | undefined =>
    entry[key] === undefined ? undefined : read(entry[key], `${field}.${key}`);
  const name = (v: unknown, field: string) => matching(v, field, LOGICAL_ID, 'a logical ID (letters and digits)');
  const milliseconds = (v: unknown, field: string): number =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0
      ? v
      : fail(field, `expected milliseconds (a number of 0 or more), got ${show(v)}`);
  const timings = (v: unknown, field: string): Timings =>
    Object.fromEntries(
      Object.entries(object(v, field)).map(([phase, ms]) => {
        if (!PHASES.includes(phase as Phase)) fail(`${field}.${phase}`, `not a phase (expected one of ${PHASES.join(', ')})`);
        return [phase, milliseconds(ms, `${field}.${phase}`)];
      })
    );

  const packages = (v: unknown, field: string): PackageSize[] =>
    list(v, field).map((raw, i) => {
      const at = `${field}[${i}]`;
      const p = object(raw, at);
      return {
        name: label(p['name'], `${at}.name`),
        version: matching(p['version'], `${at}.version`, VERSION, 'one line of text'),
        bytes: size(p['bytes'], `${at}.bytes`)
      };
    });

  const slimming = (v: unknown, field: string): LayerReport['slimming'] => {
    const s = object(v, field);
    const strip = object(s['strip'], `${field}.strip`);
    const bytecode = object(s['bytecode'], `${field}.bytecode`);
    const stripSkipped = optional(strip, 'skipped', `${field}.strip`, message);
    const python = optional(bytecode, 'python', `${field}.bytecode`, label);
    const bytecodeSkipped = optional(bytecode, 'skipped', `${field}.bytecode`, message);
    return {
      enabled: boolean(s['enabled'], `${field}.enabled`),
      beforeBytes: size(s['beforeBytes'], `${field}.beforeBytes`),
      afterBytes: size(s['afterBytes'], `${field}.afterBytes`),
      removed: list(s['removed'], `${field}.removed`).map((raw, i) => {
        const at = `${field}.removed[${i}]`;
        const r = object(raw, at);
        return { rule: label(r['rule'], `${at}.rule`), files: size(r['files'], `${at}.files`), bytes: size(r['bytes'], `${at}.bytes`) };
      }),
      removedByPackage: list(s['removedByPackage'], `${field}.removedByPackage`).map((raw, i) => {
        const at = `${field}.removedByPackage[${i}]`;
        const r = object(raw, at);
        return { name: label(r['name'], `${at}.name`), bytes: size(r['bytes'], `${at}.bytes`) };
      }),
      strip: {
        files: size(strip['files'], `${field}.strip.files`),
        bytesSaved: size(strip['bytesSaved'], `${field}.strip.bytesSaved`),
        restored: labels(strip['restored'], `${field}.strip.restored`),
        ...(stripSkipped !== undefined && { skipped: stripSkipped })
      },
      bytecode: {
        mode: label(bytecode['mode'], `${field}.bytecode.mode`),
        ...(python !== undefined && { python }),
        files: size(bytecode['files'], `${field}.bytecode.files`),
        ...(bytecodeSkipped !== undefined && { skipped: bytecodeSkipped })
      },
      deduped: labels(s['deduped'], `${field}.deduped`)
    };
  };

  /** What layers and functions share: the zip and what is in it. */
  const artifact = (entry: Json, at: string) => ({
    zippedBytes: size(entry['zippedBytes'], `${at}.zippedBytes`),
    fileCount: size(entry['fileCount'], `${at}.fileCount`),
    sha256: matching(entry['sha256'], `${at}.sha256`, SHA256_HEX, '64 lowercase hex digits'),
    zipFile: label(entry['zipFile'], `${at}.zipFile`),
    packages: packages(entry['packages'], `${at}.packages`),
    runtime: matching(entry['runtime'], `${at}.runtime`, RUNTIME, 'a Lambda runtime'),
    architecture: matching(entry['architecture'], `${at}.architecture`, /^(?:x86_64|arm64)$/, ARCHITECTURES.join(' or '))
  });

  const layer = (raw: unknown, at: string): LayerReport => {
    const l = object(raw, at);
    // As the template writes it (`!Sub "${AWS::StackName}-core"` unresolved): shown, never used as a name.
    const layerName = optional(l, 'layerName', at, label);
    const layerTimings = optional(l, 'timings', at, timings);
    return {
      name: name(l['name'], `${at}.name`),
      ...(layerName !== undefined && { layerName }),
      unzippedBytes: size(l['unzippedBytes'], `${at}.unzippedBytes`),
      ...artifact(l, at),
      buildKey: matching(l['buildKey'], `${at}.buildKey`, BUILD_KEY, '32 lowercase hex digits'),
      cacheHit: boolean(l['cacheHit'], `${at}.cacheHit`),
      slimming: slimming(l['slimming'], `${at}.slimming`),
      ...(layerTimings !== undefined && { timings: layerTimings }),
      violations: messages(l['violations'], `${at}.violations`),
      warnings: messages(l['warnings'], `${at}.warnings`)
    };
  };

  const failure = (raw: unknown, at: string): ImportFailure => {
    const f = object(raw, at);
    const rule = optional(f, 'rule', at, label);
    return { module: label(f['module'], `${at}.module`), error: message(f['error'], `${at}.error`), ...(rule !== undefined && { rule }) };
  };

  const verification = (raw: unknown, at: string): FunctionReport['verification'] => {
    const v = object(raw, at);
    const status = v['status'];
    if (!STATUSES.includes(status as (typeof STATUSES)[number]))
      fail(`${at}.status`, `expected one of ${STATUSES.join(', ')}, got ${show(status)}`);
    const reason = optional(v, 'reason', at, message);
    const python = optional(v, 'python', at, label);
    const handlerImportMs = optional(v, 'handlerImportMs', at, milliseconds);
    const cached = optional(v, 'cached', at, (c, field) =>
      typeof c === 'boolean' ? c : fail(field, `expected true or false, got ${show(c)}`)
    );
    return {
      status: status as FunctionReport['verification']['status'],
      ...(reason !== undefined && { reason }),
      ...(python !== undefined && { python }),
      modules: size(v['modules'], `${at}.modules`),
      ...(handlerImportMs !== undefined && { handlerImportMs }),
      ...(cached !== undefined && { cached }),
      failures: list(v['failures'], `${at}.failures`).map((f, i) => failure(f, `${at}.failures[${i}]`))
    };
  };

  const fn = (raw: unknown, at: string): FunctionReport => {
    const f = object(raw, at);
    const codeUnzippedBytes = size(f['codeUnzippedBytes'], `${at}.codeUnzippedBytes`);
    const totalUnzippedBytes = size(f['totalUnzippedBytes'], `${at}.totalUnzippedBytes`);
    // The total is the code plus its layers: never less than the code.
    if (totalUnzippedBytes < codeUnzippedBytes) fail(`${at}.totalUnzippedBytes`, `less than codeUnzippedBytes (${codeUnzippedBytes})`);
    const fnSlimming = optional(f, 'slimming', at, slimming);
    const fnTimings = optional(f, 'timings', at, timings);
    return {
      name: name(f['name'], `${at}.name`),
      ...artifact(f, at),
      layers: labels(f['layers'], `${at}.layers`),
      codeUnzippedBytes,
      totalUnzippedBytes,
      directUpload: boolean(f['directUpload'], `${at}.directUpload`),
      unknownLayers: labels(f['unknownLayers'], `${at}.unknownLayers`),
      withinLimits: boolean(f['withinLimits'], `${at}.withinLimits`),
      verification: verification(f['verification'], `${at}.verification`),
      ...(fnSlimming !== undefined && { slimming: fnSlimming }),
      ...(fnTimings !== undefined && { timings: fnTimings }),
      violations: messages(f['violations'], `${at}.violations`),
      warnings: messages(f['warnings'], `${at}.warnings`)
    };
  };

  /** Entries of one kind, each name once (rows and merges are keyed by name). */
  const entries = <T extends { name: string }>(v: unknown, field: string, read: (raw: unknown, at: string) => T): T[] => {
    const seen = new Set<string>();
    return list(v, field).map((raw, i) => {
      const entry = read(raw, `${field}[${i}]`);
      if (seen.has(entry.name)) fail(`${field}[${i}].name`, `${entry.name} is listed twice`);
      seen.add(entry.name);
      return entry;
    });
  };

  const root = object(value, '');
  if (root['version'] === undefined) fail('', 'not a lambda-layers size report (no version)');
  if (root['version'] !== REPORT_VERSION) fail('', `report version ${show(root['version'])}, this tool reads version ${REPORT_VERSION}`);
  const tool = object(root['tool'], 'tool');
  const limitsField = object(root['limits'], 'limits');
  const positive = (key: keyof Limits): number =>
    size(limitsField[key], `limits.${key}`) || fail(`limits.${key}`, 'expected a whole number above 0, got 0');
  const report: Report = {
    version: REPORT_VERSION,
    tool: {
      name: matching(tool['name'], 'tool.name', /^[A-Za-z0-9@/._-]{1,100}$/, 'a package name'),
      version: matching(tool['version'], 'tool.version', /^[A-Za-z0-9.+-]{1,64}$/, 'a version')
    },
    template: label(root['template'], 'template'),
    limits: {
      unzippedBytes: positive('unzippedBytes'),
      directUploadZippedBytes: positive('directUploadZippedBytes'),
      maxLayers: positive('maxLayers')
    },
    layers: entries(root['layers'], 'layers', layer),
    functions: entries(root['functions'], 'functions', fn),
    withinLimits: boolean(root['withinLimits'], 'withinLimits'),
    verified: boolean(root['verified'], 'verified'),
    skipped: labels(root['skipped'], 'skipped'),
    ...(root['totalMs'] !== undefined && { totalMs: milliseconds(root['totalMs'], 'totalMs') })
  };
  return withVerdicts(report);
}

/** A value for a message: short, on one line, quoted (JSON escapes line breaks and control characters). */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
