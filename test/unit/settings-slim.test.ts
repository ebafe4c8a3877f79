import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings, type RawSettings } from '../../src/settings/settings.js';
import type { SlimSettings } from '../../src/settings/slim-settings.js';
import { inputErrorFrom } from './fixtures.js';

describe('resolveSettings: slimming', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-settings-slim-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const slimOf = (raw: RawSettings) => resolveSettings(raw, work, {}).slim;

  test.each<[string, RawSettings, Partial<SlimSettings>]>([
    ['nothing given', {}, {}],
    ['every slim input empty (unset action inputs)', { slim: '', bytecode: '', strip: '', slimRemove: '', slimKeep: '' }, {}],
    ['slim false', { slim: 'false' }, { enabled: false }],
    ['slim true', { slim: 'true' }, { enabled: true }],
    ['strip false', { strip: 'false' }, { strip: false }],
    ['strip true', { strip: 'true' }, { strip: true }],
    ['bytecode source', { bytecode: 'source' }, { bytecode: 'source' }],
    ['bytecode source+bytecode', { bytecode: 'source+bytecode' }, { bytecode: 'source+bytecode' }],
    ['bytecode bytecode', { bytecode: 'bytecode' }, { bytecode: 'bytecode' }],
    ['one remove glob', { slimRemove: '**/*.md' }, { remove: ['**/*.md'] }],
    [
      'remove globs by commas and whitespace',
      { slimRemove: '**/*.md, pkg/big/**\n**/*.txt' },
      { remove: ['**/*.md', 'pkg/big/**', '**/*.txt'] }
    ],
    ['keep globs by newlines', { slimKeep: 'pandas/tests/data/**\n  **/*.json\n' }, { keep: ['pandas/tests/data/**', '**/*.json'] }],
    ['remove of only separators', { slimRemove: ' , \n' }, { remove: [] }],
    [
      'everything',
      { slim: 'true', strip: 'false', bytecode: 'source', slimRemove: 'a/**', slimKeep: 'b/**' },
      { enabled: true, strip: false, bytecode: 'source', remove: ['a/**'], keep: ['b/**'] }
    ]
  ])('%s', (_label, raw, slim) => {
    expect(slimOf(raw)).toEqual(slim);
  });

  test('slim settings do not disturb the others', () => {
    const plain = resolveSettings({}, work, { XDG_CACHE_HOME: '/xdg' });
    const slimmed = resolveSettings({ slim: 'false', strip: 'false', bytecode: 'source', slimRemove: 'x' }, work, {
      XDG_CACHE_HOME: '/xdg'
    });
    expect({ ...slimmed, slim: {} }).toEqual(plain);
  });

  test.each<[string, RawSettings, string]>([
    ['slim yes', { slim: 'yes' }, 'slim must be true or false, got "yes"'],
    ['slim in capitals', { slim: 'False' }, 'slim must be true or false, got "False"'],
    ['slim 0', { slim: '0' }, 'slim must be true or false, got "0"'],
    ['strip no', { strip: 'no' }, 'strip must be true or false, got "no"'],
    ['strip with spaces', { strip: ' true' }, 'strip must be true or false, got " true"'],
    ['bytecode pyc', { bytecode: 'pyc' }, 'bytecode must be one of bytecode, optimized, source+bytecode, source, got "pyc"'],
    ['bytecode in capitals', { bytecode: 'Source' }, 'bytecode must be one of bytecode, optimized, source+bytecode, source, got "Source"']
  ])('%s is an InputError naming the input', (_label, raw, message) => {
    const error = inputErrorFrom(() => resolveSettings(raw, work, {}));
    expect(error.message).toBe(message);
    expect(error.location).toBeUndefined();
  });
});
