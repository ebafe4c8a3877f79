import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, parseNumber, splitLines, splitList } from '../../src/settings/inputs.js';
import { REPO_ROOT } from '../helpers/sample-app.js';
import { inputErrorFrom } from './fixtures.js';

describe('splitList', () => {
  test.each([
    [undefined, []],
    ['', []],
    ['  ', []],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a, b  c\nd,,e', ['a', 'b', 'c', 'd', 'e']],
    [' pure-lib , Other_Lib ', ['pure-lib', 'Other_Lib']]
  ])('%j -> %j', (value, expected) => {
    expect(splitList(value)).toEqual(expected);
  });
});

test('splitLines keeps commas and spaces inside a line (globs like {a,b})', () => {
  expect(splitLines(' jobs/{core,ml}/report.json \n\n my reports/*.json\n')).toEqual(['jobs/{core,ml}/report.json', 'my reports/*.json']);
});

test('parseNumber: empty is unset; anything not finite is an input error naming the input', () => {
  expect(parseNumber('', 'input x')).toBeUndefined();
  expect(parseNumber('0.5', 'input x')).toBe(0.5);
  expect(inputErrorFrom(() => parseNumber('lots', 'input x')).message).toBe('input x must be a number, got "lots"');
  expect(inputErrorFrom(() => parseNumber('Infinity', '--n')).message).toBe('--n must be a number, got "Infinity"');
});

describe('the inputs the code reads are those action.yml declares', () => {
  interface Declared {
    default?: string;
  }
  let declared: Record<string, Declared>;
  let read: Set<string>;

  beforeAll(async () => {
    declared = (parse(await readFile(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, Declared> }).inputs;
    // Every input is read through an InputSource by its literal name: inputs.string('out'), or a helper given
    // the source and the name: number(inputs, 'min-change-bytes').
    read = new Set<string>();
    const sources = (await readdir(path.join(REPO_ROOT, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts'));
    for (const file of sources) {
      const text = await readFile(path.join(REPO_ROOT, 'src', file), 'utf8');
      for (const m of text.matchAll(/\binputs(?:\.(?:string|list|boolean|number|label)\(|,)\s*'([a-z0-9-]+)'/g)) read.add(m[1]!);
    }
  });

  test('the same names, read and declared', () => {
    expect([...read].sort()).toEqual(Object.keys(declared).sort());
  });

  test('the same names and defaults in INPUT_DEFAULTS', () => {
    const defaults = Object.fromEntries(
      // The token's default is an expression only the runner evaluates; the code's is empty.
      Object.entries(declared).map(([name, input]) => [name, name === 'github-token' ? '' : (input.default ?? '')])
    );
    expect(INPUT_DEFAULTS).toEqual(defaults);
    expect(declared['github-token']?.default).toBe('${{ github.token }}');
  });
});
