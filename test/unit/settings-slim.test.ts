import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings } from '../../src/settings/settings.js';
import type { InputName } from '../../src/settings/inputs.js';
import type { SlimSettings } from '../../src/settings/slim-settings.js';
import { actionInputsFrom, inputErrorFrom } from './fixtures.js';

type Given = Partial<Record<InputName, string>>;

describe('resolveSettings: slimming', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-settings-slim-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const slimOf = (given: Given) => resolveSettings(actionInputsFrom(given), work, {}).slim;

  test.each<[string, Given, Partial<SlimSettings>]>([
    ['nothing given', {}, {}],
    ['every slim input empty (unset action inputs)', { slim: '', bytecode: '', strip: '', 'slim-remove': '', 'slim-keep': '' }, {}],
    ['slim false', { slim: 'false' }, { enabled: false }],
    ['slim true', { slim: 'true' }, { enabled: true }],
    ['strip false', { strip: 'false' }, { strip: false }],
    ['strip true', { strip: 'true' }, { strip: true }],
    // The YAML 1.2 core schema's words, as core.getBooleanInput reads them; the runner trims inputs.
    ['slim in capitals', { slim: 'False' }, { enabled: false }],
    ['strip with spaces', { strip: ' TRUE ' }, { strip: true }],
    ['bytecode source', { bytecode: 'source' }, { bytecode: 'source' }],
    ['bytecode source+bytecode', { bytecode: 'source+bytecode' }, { bytecode: 'source+bytecode' }],
    ['bytecode bytecode', { bytecode: 'bytecode' }, { bytecode: 'bytecode' }],
    ['one remove glob', { 'slim-remove': '**/*.md' }, { remove: ['**/*.md'] }],
    [
      'remove globs by commas and whitespace',
      { 'slim-remove': '**/*.md, pkg/big/**\n**/*.txt' },
      { remove: ['**/*.md', 'pkg/big/**', '**/*.txt'] }
    ],
    ['keep globs by newlines', { 'slim-keep': 'pandas/tests/data/**\n  **/*.json\n' }, { keep: ['pandas/tests/data/**', '**/*.json'] }],
    ['remove of only separators', { 'slim-remove': ' , \n' }, {}],
    [
      'everything',
      { slim: 'true', strip: 'false', bytecode: 'source', 'slim-remove': 'a/**', 'slim-keep': 'b/**' },
      { enabled: true, strip: false, bytecode: 'source', remove: ['a/**'], keep: ['b/**'] }
    ]
  ])('%s', (_label, raw, slim) => {
    expect(slimOf(raw)).toEqual(slim);
  });

  test('slim settings do not disturb the others', () => {
    const plain = resolveSettings(actionInputsFrom({}), work, { XDG_CACHE_HOME: '/xdg' });
    const slimmed = resolveSettings(actionInputsFrom({ slim: 'false', strip: 'false', bytecode: 'source', 'slim-remove': 'x' }), work, {
      XDG_CACHE_HOME: '/xdg'
    });
    expect({ ...slimmed, slim: {} }).toEqual(plain);
  });

  test.each<[string, Given, string]>([
    ['slim yes', { slim: 'yes' }, 'input slim must be true or false, got "yes"'],
    ['slim 0', { slim: '0' }, 'input slim must be true or false, got "0"'],
    ['strip no', { strip: 'no' }, 'input strip must be true or false, got "no"'],
    ['bytecode pyc', { bytecode: 'pyc' }, 'input bytecode must be one of bytecode, optimized, source+bytecode, source, got "pyc"'],
    [
      'bytecode in capitals',
      { bytecode: 'Source' },
      'input bytecode must be one of bytecode, optimized, source+bytecode, source, got "Source"'
    ]
  ])('%s is an InputError naming the input', (_label, raw, message) => {
    const error = inputErrorFrom(() => resolveSettings(actionInputsFrom(raw), work, {}));
    expect(error.message).toBe(message);
    expect(error.location).toBeUndefined();
  });
});
