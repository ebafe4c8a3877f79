import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { bytecodeMode, loadConfig, parseConfig } from '../../src/settings/config-file.js';
import { InputError } from '../../src/shared/errors.js';
import { inputErrorFrom } from './fixtures.js';

const FILE = '/repo/lambda-layers.yaml';
const SLIM_KEYS = 'enabled, bytecode, strip, remove, keep, disable, dropRuntimeProvided';

/** Parses YAML the way loadConfig does, then validates it. */
function config(yaml: string) {
  return parseConfig(parse(yaml), FILE);
}

describe('parseConfig: slim', () => {
  test('every slim setting round-trips', () => {
    const yaml = [
      'slim:',
      '  enabled: false',
      '  bytecode: source+bytecode',
      '  strip: false',
      '  remove: ["**/*.md", "pkg/big/**"]',
      '  keep: ["pandas/tests/data/**"]',
      '  disable: [tests, docs-examples]',
      '  dropRuntimeProvided: true'
    ].join('\n');
    expect(config(yaml).slim).toEqual({
      enabled: false,
      bytecode: 'source+bytecode',
      strip: false,
      remove: ['**/*.md', 'pkg/big/**'],
      keep: ['pandas/tests/data/**'],
      disable: ['tests', 'docs-examples'],
      dropRuntimeProvided: true
    });
  });

  test('only the given keys are set: the rest come from the defaults later', () => {
    expect(config('slim:\n  strip: false\n').slim).toEqual({ strip: false });
    expect(Object.keys(config('slim:\n  bytecode: source\n').slim)).toEqual(['bytecode']);
  });

  test.each([
    ['slim: {}', {}],
    ['slim:', {}],
    ['slim:\n  remove:', { remove: [] }],
    ['slim:\n  keep: []', { keep: [] }],
    ['slim:\n  enabled: true', { enabled: true }]
  ])('%j', (yaml, slim) => {
    expect(config(yaml).slim).toEqual(slim);
  });

  test.each(['bytecode', 'optimized', 'source+bytecode', 'source'])('bytecode mode %s is accepted', (mode) => {
    expect(parseConfig({ slim: { bytecode: mode } }, FILE).slim).toEqual({ bytecode: mode });
  });

  test('disable is not checked against the rule names here (the rule set does that)', () => {
    expect(parseConfig({ slim: { disable: ['no-such-rule'] } }, FILE).slim).toEqual({ disable: ['no-such-rule'] });
  });

  test.each<[string, unknown, string]>([
    ['an unknown slim key', { slim: { prune: true } }, `unknown key "slim.prune" (expected one of ${SLIM_KEYS})`],
    ['a misspelt slim key', { slim: { Strip: false } }, `unknown key "slim.Strip" (expected one of ${SLIM_KEYS})`],
    ['slim as a list', { slim: ['strip'] }, 'slim must be a mapping'],
    ['slim as a boolean', { slim: false }, 'slim must be a mapping'],
    ['slim as a string', { slim: 'false' }, 'slim must be a mapping'],
    ['enabled as a string', { slim: { enabled: 'false' } }, 'slim.enabled must be true or false, got "false"'],
    ['enabled as a number', { slim: { enabled: 0 } }, 'slim.enabled must be true or false, got 0'],
    ['enabled as null', { slim: { enabled: null } }, 'slim.enabled must be true or false, got null'],
    ['strip as a string', { slim: { strip: 'yes' } }, 'slim.strip must be true or false, got "yes"'],
    [
      'dropRuntimeProvided as a list',
      { slim: { dropRuntimeProvided: [true] } },
      'slim.dropRuntimeProvided must be true or false, got [true]'
    ],
    [
      'an unknown bytecode mode',
      { slim: { bytecode: 'pyc' } },
      'slim.bytecode must be one of bytecode, optimized, source+bytecode, source, got "pyc"'
    ],
    [
      'a bytecode mode in capitals',
      { slim: { bytecode: 'Bytecode' } },
      'slim.bytecode must be one of bytecode, optimized, source+bytecode, source, got "Bytecode"'
    ],
    [
      'bytecode as a boolean',
      { slim: { bytecode: false } },
      'slim.bytecode must be one of bytecode, optimized, source+bytecode, source, got false'
    ],
    ['remove as a string', { slim: { remove: '**/*.md' } }, 'slim.remove must be a list of strings'],
    ['keep as a mapping', { slim: { keep: { a: 'b' } } }, 'slim.keep must be a list of strings'],
    ['disable with a number', { slim: { disable: ['tests', 1] } }, 'slim.disable must be a list of strings']
  ])('%s is an InputError naming the file and key', (_label, data, message) => {
    const error = inputErrorFrom(() => parseConfig(data, FILE));
    expect(error.message).toBe(`${FILE}: ${message}`);
    expect(error.location).toEqual({ file: FILE });
  });
});

describe('parseConfig: pythons', () => {
  test('interpreters by version round-trip', () => {
    const yaml = ['pythons:', '  "3.12": /usr/bin/python3.12', '  "3.13": /opt/hostedtoolcache/Python/3.13.1/x64/bin/python3'].join('\n');
    expect(config(yaml).pythons).toEqual({ '3.12': '/usr/bin/python3.12', '3.13': '/opt/hostedtoolcache/Python/3.13.1/x64/bin/python3' });
  });

  test('an unquoted 3.12 key is read as "3.12"', () => {
    expect(config('pythons:\n  3.12: /usr/bin/python3.12\n').pythons).toEqual({ '3.12': '/usr/bin/python3.12' });
  });

  test.each([
    ['pythons: {}', {}],
    ['pythons:', {}]
  ])('%j', (yaml, pythons) => {
    expect(config(yaml).pythons).toEqual(pythons);
  });

  test.each<[string, unknown, string]>([
    [
      'a major version only',
      { pythons: { '3': '/usr/bin/python3' } },
      'pythons: "3" must be a version like 3.12 mapped to an interpreter path'
    ],
    [
      'a runtime name',
      { pythons: { 'python3.12': '/usr/bin/python3.12' } },
      'pythons: "python3.12" must be a version like 3.12 mapped to an interpreter path'
    ],
    [
      'a patch version',
      { pythons: { '3.12.1': '/usr/bin/python3.12' } },
      'pythons: "3.12.1" must be a version like 3.12 mapped to an interpreter path'
    ],
    ['Python 2', { pythons: { '2.7': '/usr/bin/python2.7' } }, 'pythons: "2.7" must be a version like 3.12 mapped to an interpreter path'],
    ['a number as the path', { pythons: { '3.12': 312 } }, 'pythons: "3.12" must be a version like 3.12 mapped to an interpreter path'],
    [
      'a list as the path',
      { pythons: { '3.12': ['/usr/bin/python3.12'] } },
      'pythons: "3.12" must be a version like 3.12 mapped to an interpreter path'
    ],
    ['null as the path', { pythons: { '3.12': null } }, 'pythons: "3.12" must be a version like 3.12 mapped to an interpreter path'],
    ['pythons as a list', { pythons: ['/usr/bin/python3.12'] }, 'pythons must be a mapping of version ("3.12") to interpreter path'],
    ['pythons as a string', { pythons: '/usr/bin/python3.12' }, 'pythons must be a mapping of version ("3.12") to interpreter path']
  ])('%s is an InputError naming the file and key', (_label, data, message) => {
    const error = inputErrorFrom(() => parseConfig(data, FILE));
    expect(error.message).toBe(`${FILE}: ${message}`);
    expect(error.location).toEqual({ file: FILE });
  });
});

describe('loadConfig: slim and pythons from a file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-config-slim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function load(name: string, yaml: string) {
    const file = path.join(dir, name);
    await writeFile(file, yaml);
    return loadConfig(file);
  }

  test('a file with slim and pythons', async () => {
    const loaded = await load('full.yaml', 'slim:\n  bytecode: source\n  disable: [pycache]\npythons:\n  "3.12": /usr/bin/python3.12\n');
    expect(loaded.slim).toEqual({ bytecode: 'source', disable: ['pycache'] });
    expect(loaded.pythons).toEqual({ '3.12': '/usr/bin/python3.12' });
  });

  test('an error names the file on disk', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'slim:\n  strip: "no"\n');
    await expect(loadConfig(file)).rejects.toBeInstanceOf(InputError);
    await expect(loadConfig(file)).rejects.toThrow(`${file}: slim.strip must be true or false, got "no"`);
  });

  // Regression (fixed): YAML reads an unquoted 3.10 as the number 3.1, so the interpreter is filed under "3.1",
  // which passes the version check and is never used for python3.10 (findTargetPython looks up "3.10").
  test('an unquoted 3.10 key is not silently read as 3.1', async () => {
    const outcome = await load('py310.yaml', 'pythons:\n  3.10: /usr/bin/python3.10\n').then(
      (loaded) => loaded.pythons,
      (error: unknown) => error
    );
    // Either fix is right: read the key as "3.10", or reject it naming 3.10 (ask for quotes).
    if (outcome instanceof InputError) expect(outcome.message).toContain('"3.10"');
    else expect(outcome).toEqual({ '3.10': '/usr/bin/python3.10' });
  });
});

describe('bytecodeMode', () => {
  test.each(['bytecode', 'optimized', 'source+bytecode', 'source'])('%s is a mode', (mode) => {
    expect(bytecodeMode(mode, 'bytecode')).toBe(mode);
  });

  test.each<[unknown, string]>([
    ['pyc', '"pyc"'],
    ['', '""'],
    ['source + bytecode', '"source + bytecode"'],
    [undefined, 'undefined'],
    [1, '1']
  ])('%j is an InputError', (value, shown) => {
    const error = inputErrorFrom(() => bytecodeMode(value, 'bytecode'));
    expect(error.message).toBe(`bytecode must be one of bytecode, optimized, source+bytecode, source, got ${shown}`);
    expect(error.location).toBeUndefined();
  });

  test('names the file when given one', () => {
    const error = inputErrorFrom(() => bytecodeMode('pyc', 'slim.bytecode', FILE));
    expect(error.message).toBe(`${FILE}: slim.bytecode must be one of bytecode, optimized, source+bytecode, source, got "pyc"`);
    expect(error.location).toEqual({ file: FILE });
  });
});
