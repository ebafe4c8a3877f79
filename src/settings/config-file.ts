import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import { isObject } from '../shared/json.js';
import { InputError, type SourceLocation } from '../shared/errors.js';
import { LAMBDA_LIMITS, type Limits } from '../lambda/limits.js';
import { SUPPORTED_RUNTIMES } from '../lambda/platform.js';
import { DEFAULT_BUDGETS, parseBudgets, type BudgetSettings, type Locate } from './budget-settings.js';
import { BYTECODE_MODES, DEFAULT_SLIM, type BytecodeMode, type SlimSettings } from './slim-settings.js';

/** The optional config file: what the template cannot say. The template stays the source of truth. */
export interface FileConfig {
  limits: Limits;
  /** Unzipped bytes of external layers, by the reference the template uses (ARN, "parameter Name", ...). */
  externalLayers: Record<string, number>;
  /** Projects that may be built from an sdist (pure-Python ones: a built wheel must still match the platform). */
  allowSdist: string[];
  /** Extra arguments for every pip install (an index, find-links, ...). */
  pipArgs: string[];
  slim: Partial<SlimSettings>;
  /** Interpreters by Python version ("3.12": "/usr/bin/python3.12") for bytecode, stripping checks and verification. */
  pythons: Record<string, string>;
  /** Unzipped-size and cold-start budgets by logical ID, over the template's Metadata ones. */
  budgets: BudgetSettings;
  /** Warn when an event's Max Memory Used reaches this share of the function's MemorySize. */
  memoryWarnPercent: number;
  /** Events to invoke each function with after the build, by logical ID (absent: the events/ folder convention). */
  events?: Record<string, EventSpec[]>;
}

/** Event files: a path or glob relative to the working directory; `expectError` marks events the function must fail on. */
export interface EventSpec {
  pattern: string;
  expectError: boolean;
  /** The config file's entry (and its line, from a file), for messages about what it matched. */
  where?: SourceLocation;
}

export const DEFAULT_CONFIG: FileConfig = {
  limits: LAMBDA_LIMITS,
  externalLayers: {},
  allowSdist: [],
  pipArgs: [],
  slim: {},
  pythons: {},
  budgets: DEFAULT_BUDGETS,
  memoryWarnPercent: 80
};

const LIMIT_KEYS = Object.keys(LAMBDA_LIMITS) as (keyof Limits)[];
const TOP_KEYS = ['limits', 'externalLayers', 'allowSdist', 'pipArgs', 'slim', 'pythons', 'events', 'budgets', 'memoryWarnPercent'];
const SLIM_KEYS = Object.keys(DEFAULT_SLIM) as (keyof SlimSettings)[];

function positiveInteger(value: unknown, what: string, file: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InputError(`${what} must be a positive whole number, got ${JSON.stringify(value)}`, { file });
  }
  return value;
}

function stringArray(value: unknown, what: string, file: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new InputError(`${what} must be a list of strings`, { file });
  }
  return value as string[];
}

function boolean(value: unknown, what: string, file: string): boolean {
  if (typeof value !== 'boolean') throw new InputError(`${what} must be true or false, got ${JSON.stringify(value)}`, { file });
  return value;
}

export function bytecodeMode(value: unknown, what: string, file?: string): BytecodeMode {
  if (!BYTECODE_MODES.includes(value as BytecodeMode)) {
    throw new InputError(`${what} must be one of ${BYTECODE_MODES.join(', ')}, got ${JSON.stringify(value)}`, file ? { file } : undefined);
  }
  return value as BytecodeMode;
}

function parseSlim(raw: unknown, file: string): Partial<SlimSettings> {
  if (!isObject(raw)) throw new InputError('slim must be a mapping', { file });
  const slim: Partial<SlimSettings> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!SLIM_KEYS.includes(key as keyof SlimSettings)) {
      throw new InputError(`unknown key "slim.${key}" (expected one of ${SLIM_KEYS.join(', ')})`, { file });
    }
    const what = `slim.${key}`;
    if (key === 'bytecode') slim.bytecode = bytecodeMode(value, what, file);
    else if (key === 'remove' || key === 'keep' || key === 'disable') slim[key] = stringArray(value, what, file);
    else slim[key as 'enabled' | 'strip' | 'dropRuntimeProvided'] = boolean(value, what, file);
  }
  return slim;
}

function parsePythons(raw: unknown, file: string): Record<string, string> {
  if (!isObject(raw)) throw new InputError('pythons must be a mapping of version ("3.12") to interpreter path', { file });
  for (const [version, exe] of Object.entries(raw)) {
    if (!/^3\.\d+$/.test(version) || typeof exe !== 'string') {
      throw new InputError(`pythons: "${version}" must be a version like 3.12 mapped to an interpreter path`, { file });
    }
    if (!SUPPORTED_RUNTIMES.includes(`python${version}`)) {
      throw new InputError(
        `pythons: "${version}" is not the version of a Lambda runtime (write versions in quotes, like "3.10": YAML reads 3.10 as the number 3.1)`,
        { file }
      );
    }
  }
  return raw as Record<string, string>;
}

const EVENTS_SHAPE =
  'events must map function logical IDs to lists of event files (paths or globs), each a string or {path: <glob>, expect: error}';

function parseEvents(raw: unknown, locate: Locate): Record<string, EventSpec[]> {
  if (!isObject(raw)) throw new InputError(EVENTS_SHAPE, locate(['events']));
  const events: Record<string, EventSpec[]> = {};
  for (const [fn, list] of Object.entries(raw)) {
    if (!Array.isArray(list)) throw new InputError(`events.${fn}: ${EVENTS_SHAPE}`, locate(['events', fn]));
    events[fn] = list.map((entry: unknown, i) => {
      const where = locate(['events', fn, i]);
      if (typeof entry === 'string' && entry.trim()) return { pattern: entry, expectError: false, where };
      const keys = isObject(entry) ? Object.keys(entry) : [];
      if (isObject(entry) && typeof entry['path'] === 'string' && keys.every((k) => k === 'path' || k === 'expect')) {
        if (entry['expect'] !== undefined && entry['expect'] !== 'error' && entry['expect'] !== 'success') {
          throw new InputError(
            `events.${fn}[${i}].expect must be error or success, got ${JSON.stringify(entry['expect'])}`,
            locate(['events', fn, i, 'expect'])
          );
        }
        return { pattern: entry['path'], expectError: entry['expect'] === 'error', where };
      }
      throw new InputError(`events.${fn}[${i}]: ${EVENTS_SHAPE}`, where);
    });
  }
  return events;
}

function memoryWarnPercent(value: unknown, where: SourceLocation): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 100)) {
    throw new InputError(`memoryWarnPercent must be a percentage above 0, up to 100, got ${JSON.stringify(value)}`, where);
  }
  return value;
}

/** Validates a parsed config; every error names the file and the key (and its line, where `locate` knows it). Pure. */
export function parseConfig(data: unknown, file: string, locate: Locate = () => ({ file })): FileConfig {
  if (data === null || data === undefined) return DEFAULT_CONFIG;
  if (!isObject(data)) throw new InputError('the config file must be a mapping', { file });
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.includes(key)) throw new InputError(`unknown key "${key}" (expected one of ${TOP_KEYS.join(', ')})`, { file });
  }
  const limits = { ...LAMBDA_LIMITS };
  const rawLimits = data['limits'] ?? {};
  if (!isObject(rawLimits)) throw new InputError('limits must be a mapping', { file });
  for (const [key, value] of Object.entries(rawLimits)) {
    if (!LIMIT_KEYS.includes(key as keyof Limits)) {
      throw new InputError(`unknown limit "${key}" (expected one of ${LIMIT_KEYS.join(', ')})`, { file });
    }
    limits[key as keyof Limits] = positiveInteger(value, `limits.${key}`, file);
  }
  const rawExternal = data['externalLayers'] ?? {};
  if (!isObject(rawExternal)) throw new InputError('externalLayers must be a mapping of reference to unzipped bytes', { file });
  const externalLayers = Object.fromEntries(
    Object.entries(rawExternal).map(([ref, bytes]) => [ref, positiveInteger(bytes, `externalLayers["${ref}"]`, file)])
  );
  return {
    limits,
    externalLayers,
    allowSdist: stringArray(data['allowSdist'], 'allowSdist', file),
    pipArgs: stringArray(data['pipArgs'], 'pipArgs', file),
    slim: parseSlim(data['slim'] ?? {}, file),
    pythons: parsePythons(data['pythons'] ?? {}, file),
    ...(data['events'] !== undefined && { events: parseEvents(data['events'], locate) }),
    budgets: data['budgets'] === undefined ? DEFAULT_BUDGETS : parseBudgets(data['budgets'], locate),
    memoryWarnPercent:
      data['memoryWarnPercent'] === undefined
        ? DEFAULT_CONFIG.memoryWarnPercent
        : memoryWarnPercent(data['memoryWarnPercent'], locate(['memoryWarnPercent']))
  };
}

export async function loadConfig(file: string | undefined): Promise<FileConfig> {
  if (!file) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError('config file not found', { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    throw new InputError(`malformed config: ${first.message.split('\n')[0]}`, { file, line: lineCounter.linePos(first.pos[0]).line });
  }
  // The line of a key or a list's entry (else of the deepest one above it that is there), for messages.
  const locate: Locate = (keys) => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const key of keys) {
      if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key];
        const range = isNode(item) ? item.range : undefined;
        if (!range) break;
        line = lineCounter.linePos(range[0]).line;
        node = item;
        continue;
      }
      const pair = isMap(node) ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key)) : undefined;
      if (!pair) break;
      const range = (pair.key as Scalar).range;
      if (range) line = lineCounter.linePos(range[0]).line;
      node = pair.value;
    }
    return line ? { file, line } : { file };
  };
  return parseConfig(doc.toJS(), file, locate);
}
