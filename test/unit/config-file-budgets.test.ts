import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, parseConfig } from '../../src/settings/config-file.js';
import { InputError } from '../../src/shared/errors.js';
import { REPO_ROOT } from '../helpers/sample-app.js';
import { discover, functionYaml, inputErrorFrom, layerYaml, lines, resources, TEMPLATE_FILE } from './fixtures.js';

const FILE = '/repo/lambda-layers.yaml';

describe('parseConfig: budgets', () => {
  test('sizes in MB (1,000,000 bytes) become bytes; cold start in ms; the policy is fail unless set', () => {
    const config = parseConfig(
      parse(
        lines(
          'budgets:',
          '  layers:',
          '    MLLibrariesLayer: { unzippedMB: 100, policy: warn }',
          '    AWSUtilitiesLayer: { unzippedMB: 49.5 }',
          '  functions:',
          '    Predictions: { unzippedMB: 250, coldStartMs: 3000 }',
          'memoryWarnPercent: 90'
        )
      ),
      FILE
    );
    expect(config.budgets).toEqual({
      policy: 'fail',
      layers: { MLLibrariesLayer: { unzippedBytes: 100_000_000, policy: 'warn' }, AWSUtilitiesLayer: { unzippedBytes: 49_500_000 } },
      functions: { Predictions: { unzippedBytes: 250_000_000, coldStartMs: 3000 } }
    });
    expect(config.memoryWarnPercent).toBe(90);
  });

  test('budgets.policy: warn applies to every budget without its own', () => {
    expect(parseConfig({ budgets: { policy: 'warn' } }, FILE).budgets.policy).toBe('warn');
  });
});

describe('loadConfig: a bad budget names the file and the line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-config-budgets-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test.each([
    [
      'a size in words',
      'budgets:\n  layers:\n    Core:\n      unzippedMB: "100 MB"\n',
      4,
      'budgets.layers.Core.unzippedMB must be a number above 0, got "100 MB"'
    ],
    [
      'a negative size',
      'budgets:\n  layers:\n    Core: { unzippedMB: -1 }\n',
      3,
      'budgets.layers.Core.unzippedMB must be a number above 0, got -1'
    ],
    [
      'a zero cold start',
      'budgets:\n  functions:\n    Fn:\n      coldStartMs: 0\n',
      4,
      'budgets.functions.Fn.coldStartMs must be a number above 0, got 0'
    ],
    [
      'a cold start for a layer (a layer is never invoked)',
      'budgets:\n  layers:\n    Core:\n      unzippedMB: 10\n      coldStartMs: 100\n',
      5,
      'unknown key "budgets.layers.Core.coldStartMs" (a layer budget has unzippedMB, policy)'
    ],
    [
      'a size in bytes under a misspelt key',
      'budgets:\n  functions:\n    Fn:\n      unzippedBytes: 100\n',
      4,
      'unknown key "budgets.functions.Fn.unzippedBytes" (a function budget has unzippedMB, coldStartMs, policy)'
    ],
    ['an unknown policy', 'budgets:\n  policy: error\n', 2, 'budgets.policy must be one of warn, fail, got "error"'],
    [
      'a policy per budget',
      'budgets:\n  layers:\n    Core: {unzippedMB: 1, policy: maybe}\n',
      3,
      'budgets.layers.Core.policy must be one of warn, fail, got "maybe"'
    ],
    ['budgets as a list', 'pipArgs: []\nbudgets: [1]\n', 2, 'budgets must be a mapping of policy, layers and functions'],
    ['an unknown budgets key', 'budgets:\n  layer: {}\n', 2, 'unknown key "budgets.layer" (expected policy, layers, functions)'],
    ['layers as a list', 'budgets:\n  layers: [Core]\n', 2, 'budgets.layers must be a mapping of logical ID to budget'],
    ['a budget that is a number', 'budgets:\n  layers:\n    Core: 100\n', 3, 'budgets.layers.Core must be a mapping'],
    ['a memory share over 100', 'memoryWarnPercent: 120\n', 1, 'memoryWarnPercent must be a percentage above 0, up to 100, got 120']
  ])('%s', async (_name, yaml, line, message) => {
    const file = path.join(dir, 'lambda-layers.yaml');
    await writeFile(file, yaml);
    const error = await loadConfig(file).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:${line}: ${message}`);
    expect((error as InputError).location).toEqual({ file, line });
  });

  test('malformed YAML names the line too', async () => {
    const file = path.join(dir, 'malformed.yaml');
    await writeFile(file, 'budgets:\n  layers: [unclosed\n');
    await expect(loadConfig(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+: malformed config`));
  });
});

describe('Metadata.LambdaLayers.Budget in the template', () => {
  const withMetadata = (block: string[], metadata: string[]) => [...block, '    Metadata:', ...metadata.map((l) => `      ${l}`)];

  test('a layer and a function carry their budgets and the function its MemorySize', () => {
    const app = discover(
      resources(
        withMetadata(layerYaml('Core', { compatibleRuntimes: ['python3.12'] }), [
          'LambdaLayers:',
          '  Budget: { UnzippedMB: 100, Policy: warn }'
        ]),
        withMetadata(
          [...functionYaml('Fn', { runtime: 'python3.12', layers: ['!Ref Core'] }), '      MemorySize: 1024'],
          ['LambdaLayers:', '  Budget:', '    UnzippedMB: 250', '    ColdStartMs: 2500']
        )
      )
    );
    expect(app.layers[0]!.budget).toEqual({ unzippedBytes: 100_000_000, policy: 'warn' });
    expect(app.functions[0]!.budget).toEqual({ unzippedBytes: 250_000_000, coldStartMs: 2500 });
    expect(app.functions[0]!.memorySize).toBe(1024);
  });

  test("no MemorySize, or one known only at deploy time, is left to Lambda's default", () => {
    const app = discover(
      lines(
        'Parameters:',
        '  Memory: { Type: Number }',
        'Resources:',
        ...functionYaml('A', { runtime: 'python3.12' }),
        ...functionYaml('B', { runtime: 'python3.12' }),
        '      MemorySize: !Ref Memory'
      )
    );
    expect(app.functions.map((f) => f.memorySize)).toEqual([undefined, undefined]);
  });

  test.each([
    [['LambdaLayers:', '  Budget: { UnzippedMB: big }'], 'Metadata.LambdaLayers.Budget.UnzippedMB must be a number above 0, got "big"'],
    [
      ['LambdaLayers:', '  Budget: { ColdStartMs: 10 }'],
      'unknown key "Metadata.LambdaLayers.Budget.ColdStartMs" (a layer budget has UnzippedMB, Policy)'
    ],
    [['LambdaLayers:', '  Budgets: {}'], 'unknown key "Metadata.LambdaLayers.Budgets" (expected Budget)'],
    [['LambdaLayers: 100'], 'Metadata.LambdaLayers must be a mapping, got 100']
  ])('a bad layer budget %j names the template and the resource line', (metadata, message) => {
    const error = inputErrorFrom(() =>
      discover(resources(withMetadata(layerYaml('Core', { compatibleRuntimes: ['python3.12'] }), metadata)))
    );
    expect(error.message).toBe(`${TEMPLATE_FILE}:2: ${message}`);
  });

  test('a MemorySize Lambda refuses is bad input', () => {
    const error = inputErrorFrom(() => discover(resources([...functionYaml('Fn', { runtime: 'python3.12' }), '      MemorySize: 64'])));
    expect(error.message).toBe(`${TEMPLATE_FILE}:2: MemorySize must be a whole number from 128 to 10240, got 64`);
  });
});

test("the README's config file example is a valid config, budgets included", () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Config file'));
  const yaml = section.slice(section.indexOf('```yaml\n') + 8, section.indexOf('```\n', section.indexOf('```yaml\n') + 8));
  const config = parseConfig(parse(yaml), FILE);
  expect(config.budgets.layers['MLLibrariesLayer']).toEqual({ unzippedBytes: 100_000_000, policy: 'warn' });
  expect(config.budgets.functions['Predictions']).toEqual({ unzippedBytes: 230_000_000, coldStartMs: 3000 });
  expect(config.memoryWarnPercent).toBe(80);
});
