import { InputError } from '../shared/errors.js';
import { isObject, type Json } from '../shared/json.js';
import type { Limits, PackageSize } from '../lambda/limits.js';
import { LOGICAL_ID } from '../lambda/names.js';
import {
  PHASES,
  REPORT_VERSION,
  VERIFICATION_LEVELS,
  type Budget,
  type FunctionReport,
  type ImportFailure,
  type InvocationResult,
  type LayerReport,
  type Report,
  type VerificationLevel,
  type Phase,
  type Timings
} from './report.js';
import { withVerdicts } from './verdicts.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const BUILD_KEY = /^[0-9a-f]{32}$/;
/** A .pyc magic number: 2 bytes of bytecode version, then \r\n. */
const MAGIC_HEX = /^[0-9a-f]{4}0d0a$/;
const RUNTIME = /^[a-z][a-z0-9.]{0,31}$/;
const ARCHITECTURES = ['x86_64', 'arm64'];
const STATUSES = ['passed', 'failed', 'skipped'] as const;
const INVOCATION_STATUSES = ['ran', 'none', 'skipped'] as const;
const RESULT_STATUSES = ['passed', 'failed'] as const;
const ON_OVER = ['warn', 'fail'] as const;
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
  const oneOf = <T extends string>(v: unknown, field: string, values: readonly T[]): T =>
    values.includes(v as T) ? (v as T) : fail(field, `expected one of ${values.join(', ')}, got ${show(v)}`);
  /** A reader of a finite number of 0 or more, whose message says what was expected. */
  const nonNegative =
    (expected: string) =>
    (v: unknown, field: string): number =>
      typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(field, `expected ${expected}, got ${show(v)}`);
  const amount = nonNegative('a number of 0 or more');
  const milliseconds = nonNegative('milliseconds (a number of 0 or more)');

  /** Only the limit and the policy are read: measured, percent and over are recomputed (withVerdicts). */
  const budget = (v: unknown, field: string): Budget => {
    const b = object(v, field);
    const limit = amount(b['limit'], `${field}.limit`) || fail(`${field}.limit`, 'expected a number above 0, got 0');
    return { limit, measured: 0, percent: 0, over: false, onOver: oneOf(b['onOver'], `${field}.onOver`, ON_OVER) };
  };

  const invocation = (raw: unknown, at: string): InvocationResult => {
    const r = object(raw, at);
    const expectedToFail = optional(r, 'expectedToFail', at, boolean);
    const initDurationMs = optional(r, 'initDurationMs', at, amount);
    const errorType = optional(r, 'errorType', at, label);
    const errorMessage = optional(r, 'errorMessage', at, message);
    return {
      event: label(r['event'], `${at}.event`),
      status: oneOf(r['status'], `${at}.status`, RESULT_STATUSES),
      ...(expectedToFail !== undefined && { expectedToFail }),
      ...(initDurationMs !== undefined && { initDurationMs }),
      durationMs: amount(r['durationMs'], `${at}.durationMs`),
      billedDurationMs: amount(r['billedDurationMs'], `${at}.billedDurationMs`),
      memorySizeMB: amount(r['memorySizeMB'], `${at}.memorySizeMB`),
      maxMemoryUsedMB: amount(r['maxMemoryUsedMB'], `${at}.maxMemoryUsedMB`),
      ...(errorType !== undefined && { errorType }),
      ...(errorMessage !== undefined && { errorMessage })
    };
  };

  const invocations = (raw: unknown, at: string): NonNullable<FunctionReport['invocations']> => {
    const v = object(raw, at);
    const reason = optional(v, 'reason', at, message);
    const cached = optional(v, 'cached', at, boolean);
    return {
      status: oneOf(v['status'], `${at}.status`, INVOCATION_STATUSES),
      ...(reason !== undefined && { reason }),
      results: list(v['results'], `${at}.results`).map((r, i) => invocation(r, `${at}.results[${i}]`)),
      ...(cached !== undefined && { cached })
    };
  };

  const functionBudgets = (raw: unknown, at: string): NonNullable<FunctionReport['budgets']> => {
    const b = object(raw, at);
    const unzippedBytes = optional(b, 'unzippedBytes', at, budget);
    const coldStartMs = optional(b, 'coldStartMs', at, budget);
    return { ...(unzippedBytes && { unzippedBytes }), ...(coldStartMs && { coldStartMs }) };
  };

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
    const interpreter = optional(bytecode, 'interpreter', `${field}.bytecode`, label);
    const magic = optional(bytecode, 'magic', `${field}.bytecode`, (v, at) => matching(v, at, MAGIC_HEX, '8 lowercase hex digits'));
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
        ...(interpreter !== undefined && { interpreter }),
        ...(magic !== undefined && { magic }),
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
    const layerBudget = optional(l, 'budget', at, budget);
    const layerTimings = optional(l, 'timings', at, timings);
    return {
      name: name(l['name'], `${at}.name`),
      ...(layerName !== undefined && { layerName }),
      unzippedBytes: size(l['unzippedBytes'], `${at}.unzippedBytes`),
      ...artifact(l, at),
      buildKey: matching(l['buildKey'], `${at}.buildKey`, BUILD_KEY, '32 lowercase hex digits'),
      cacheHit: boolean(l['cacheHit'], `${at}.cacheHit`),
      slimming: slimming(l['slimming'], `${at}.slimming`),
      ...(layerBudget && { budget: layerBudget }),
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
    const level = optional(v, 'level', at, (l, field) =>
      VERIFICATION_LEVELS.includes(l as VerificationLevel)
        ? (l as VerificationLevel)
        : fail(field, `expected one of ${VERIFICATION_LEVELS.join(', ')}, got ${show(l)}`)
    );
    const elf = optional(v, 'elf', at, (e, field) => {
      const checked = object(e, field);
      return { files: size(checked['files'], `${field}.files`), problems: messages(checked['problems'], `${field}.problems`) };
    });
    return {
      status: status as FunctionReport['verification']['status'],
      ...(level !== undefined && { level }),
      ...(elf !== undefined && { elf }),
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
    const ran = optional(f, 'invocations', at, invocations);
    const memorySizeMB = optional(f, 'memorySizeMB', at, size);
    const budgets = optional(f, 'budgets', at, functionBudgets);
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
      ...(ran && { invocations: ran }),
      ...(memorySizeMB !== undefined && { memorySizeMB }),
      ...(budgets && { budgets }),
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
  if (root['installer'] !== undefined) report.installer = label(root['installer'], 'installer');
  const warnAt = root['memoryWarnPercent'];
  if (warnAt !== undefined) {
    if (!(typeof warnAt === 'number' && warnAt > 0 && warnAt <= 100))
      fail('memoryWarnPercent', `expected a percentage above 0, up to 100, got ${show(warnAt)}`);
    report.memoryWarnPercent = warnAt as number;
  }
  return withVerdicts(report);
}

/** A value for a message: short, on one line, quoted (JSON escapes line breaks and control characters). */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
