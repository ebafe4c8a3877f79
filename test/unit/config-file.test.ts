import { parse } from 'yaml';
import { DEFAULT_CONFIG, parseConfig } from '../../src/settings/config-file.js';
import { LAMBDA_LIMITS } from '../../src/lambda/limits.js';
import { inputErrorFrom } from './fixtures.js';

const FILE = '/repo/lambda-layers.yaml';

/** Parses YAML the way loadConfig does, then validates it. */
function config(yaml: string) {
  return parseConfig(parse(yaml), FILE);
}

describe('parseConfig', () => {
  test.each([
    ['null (an empty file)', null],
    ['undefined', undefined]
  ])('%s gives the defaults', (_label, data) => {
    expect(parseConfig(data, FILE)).toEqual({
      limits: LAMBDA_LIMITS,
      externalLayers: {},
      allowSdist: [],
      pipArgs: [],
      slim: {},
      pythons: {},
      budgets: { policy: 'fail', layers: {}, functions: {} },
      memoryWarnPercent: 80
    });
  });

  test('an empty mapping gives the defaults', () => {
    expect(parseConfig({}, FILE)).toEqual(DEFAULT_CONFIG);
  });

  test('an empty YAML file gives the defaults', () => {
    expect(config('# nothing configured\n')).toEqual(DEFAULT_CONFIG);
  });

  test('a limit can be overridden; the others keep their Lambda value', () => {
    const result = config('limits:\n  unzippedBytes: 200000000\n');
    expect(result.limits).toEqual({ unzippedBytes: 200_000_000, directUploadZippedBytes: 52_428_800, maxLayers: 5 });
  });

  test('every limit can be overridden', () => {
    const result = config('limits: {unzippedBytes: 1000, directUploadZippedBytes: 100, maxLayers: 2}\n');
    expect(result.limits).toEqual({ unzippedBytes: 1000, directUploadZippedBytes: 100, maxLayers: 2 });
  });

  test('overriding does not change the shared defaults', () => {
    config('limits: {maxLayers: 2}\n');
    expect(LAMBDA_LIMITS.maxLayers).toBe(5);
    expect(DEFAULT_CONFIG.limits.maxLayers).toBe(5);
  });

  test('a full config', () => {
    const yaml = [
      'limits:',
      '  maxLayers: 4',
      'externalLayers:',
      '  "arn:aws:lambda:us-east-1:123456789012:layer:shared:4": 10485760',
      '  parameter SharedLayerArn: 2048',
      'allowSdist: [pure-python-lib, Other_Lib]',
      'pipArgs: ["--index-url", "https://mirror.example/simple"]'
    ].join('\n');
    expect(config(yaml)).toEqual({
      limits: { ...LAMBDA_LIMITS, maxLayers: 4 },
      externalLayers: {
        'arn:aws:lambda:us-east-1:123456789012:layer:shared:4': 10_485_760,
        'parameter SharedLayerArn': 2048
      },
      allowSdist: ['pure-python-lib', 'Other_Lib'],
      pipArgs: ['--index-url', 'https://mirror.example/simple'],
      slim: {},
      pythons: {},
      budgets: { policy: 'fail', layers: {}, functions: {} },
      memoryWarnPercent: 80
    });
  });

  test.each([
    [
      'an unknown top key',
      { layers: {} },
      'unknown key "layers" (expected one of limits, externalLayers, allowSdist, pipArgs, slim, pythons, events, budgets, memoryWarnPercent)'
    ],
    [
      'a misspelt top key',
      { pipargs: [] },
      'unknown key "pipargs" (expected one of limits, externalLayers, allowSdist, pipArgs, slim, pythons, events, budgets, memoryWarnPercent)'
    ],
    [
      'an unknown limit',
      { limits: { zippedBytes: 1 } },
      'unknown limit "zippedBytes" (expected one of unzippedBytes, directUploadZippedBytes, maxLayers)'
    ],
    ['a zero limit', { limits: { maxLayers: 0 } }, 'limits.maxLayers must be a positive whole number, got 0'],
    ['a negative limit', { limits: { unzippedBytes: -1 } }, 'limits.unzippedBytes must be a positive whole number, got -1'],
    ['a fractional limit', { limits: { unzippedBytes: 1.5 } }, 'limits.unzippedBytes must be a positive whole number, got 1.5'],
    ['a string limit', { limits: { maxLayers: '5' } }, 'limits.maxLayers must be a positive whole number, got "5"'],
    ['a null limit', { limits: { maxLayers: null } }, 'limits.maxLayers must be a positive whole number, got null'],
    ['limits as a list', { limits: [1] }, 'limits must be a mapping'],
    ['externalLayers as a list', { externalLayers: ['arn'] }, 'externalLayers must be a mapping of reference to unzipped bytes'],
    [
      'a zero external layer size',
      { externalLayers: { 'parameter X': 0 } },
      'externalLayers["parameter X"] must be a positive whole number, got 0'
    ],
    [
      'a string external layer size',
      { externalLayers: { arn: '10MB' } },
      'externalLayers["arn"] must be a positive whole number, got "10MB"'
    ],
    ['allowSdist as a string', { allowSdist: 'pure-lib' }, 'allowSdist must be a list of strings'],
    ['allowSdist with a number', { allowSdist: ['a', 1] }, 'allowSdist must be a list of strings'],
    ['pipArgs as a string', { pipArgs: '--pre' }, 'pipArgs must be a list of strings'],
    ['pipArgs as a mapping', { pipArgs: { a: 'b' } }, 'pipArgs must be a list of strings'],
    ['a list at the top', [1, 2], 'the config file must be a mapping'],
    ['a string at the top', 'limits', 'the config file must be a mapping']
  ])('%s is an InputError naming the file and key', (_label, data, message) => {
    const error = inputErrorFrom(() => parseConfig(data, FILE));
    expect(error.message).toBe(`${FILE}: ${message}`);
    expect(error.location).toEqual({ file: FILE });
  });

  test.each([
    ['limits', { limits: null }],
    ['externalLayers', { externalLayers: null }]
  ])('a null %s section is the default', (_label, data) => {
    expect(parseConfig(data, FILE)).toEqual(DEFAULT_CONFIG);
  });
});
