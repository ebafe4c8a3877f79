import { InputError } from '../../src/shared/errors.js';
import { parseManifest, validateManifest, type RollbackManifest } from '../../src/rollback/manifest.js';
import { thrownBy } from './fixtures.js';

function inputError(fn: () => unknown): InputError {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const FILE = 'rollback-manifest.json';
const ARN = (name: string, version: number, region = 'us-east-1') => `arn:aws:lambda:${region}:123456789012:layer:${name}:${version}`;
const EXTERNAL = 'arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7';

function valid(): RollbackManifest {
  return {
    version: 1,
    region: 'us-east-1',
    createdAt: '2026-11-26T01:30:00.000Z',
    commit: 'abc123',
    ref: 'refs/tags/v1.0.0',
    layers: {
      CoreLayer: {
        layerName: 'stack-core',
        status: 'published',
        arn: ARN('stack-core', 2),
        previousArn: ARN('stack-core', 1),
        sha256: 'a'.repeat(64)
      },
      UtilsLayer: { layerName: 'utils', status: 'unchanged', arn: ARN('utils', 3), previousArn: ARN('utils', 3), sha256: 'b'.repeat(64) },
      NewLayer: { layerName: 'new', status: 'published', arn: ARN('new', 1), previousArn: null, sha256: 'c'.repeat(64) },
      BrokenLayer: { layerName: 'broken', status: 'failed', arn: null, previousArn: null, sha256: 'd'.repeat(64), error: 'throttled' }
    },
    functions: {
      Api: { functionName: 'stack-api', before: [EXTERNAL, ARN('stack-core', 1)], after: [EXTERNAL, ARN('stack-core', 2)] },
      Worker: { functionName: null, before: [], after: [] }
    }
  };
}

/** A writable view of a manifest, for edits; `at` walks into it. */
type Draft = Record<string, unknown>;
const at = (m: Draft, ...keys: string[]): Draft => keys.reduce((o, k) => o[k] as Draft, m);

/** A valid manifest changed by `edit` (which may delete fields). */
function withEdit(edit: (m: Draft) => void): unknown {
  const manifest = structuredClone(valid()) as unknown as Draft;
  edit(manifest);
  return manifest;
}

test('a valid manifest comes back as it was', () => {
  expect(validateManifest(valid(), FILE)).toEqual(valid());
  expect(parseManifest(JSON.stringify(valid()), FILE, 'us-east-1')).toEqual(valid());
});

test('unknown extra fields are dropped, not errors', () => {
  expect(
    validateManifest(
      withEdit((m) => (m['note'] = 'x')),
      FILE
    )
  ).toEqual(valid());
});

test('not JSON', () => {
  const error = inputError(() => parseManifest('{"version": 1,', FILE));
  expect(error.message).toMatch(/^rollback-manifest\.json: not JSON: /);
  expect(error.location).toEqual({ file: FILE });
});

describe('malformed manifests name the file and the field', () => {
  test.each<[string, (m: Draft) => void, string]>([
    ['wrong version', (m) => (m['version'] = 2), 'version: expected 1, got 2'],
    ['version as a string', (m) => (m['version'] = '1'), 'version: expected 1, got "1"'],
    ['no version', (m) => delete m['version'], 'version: expected 1, got undefined'],
    ['no region', (m) => delete m['region'], 'region: expected a non-empty string'],
    ['bad region', (m) => (m['region'] = 'Virginia'), 'region: not an AWS region: "Virginia"'],
    ['bad date', (m) => (m['createdAt'] = 'yesterday'), 'createdAt: not a date: "yesterday"'],
    ['no commit', (m) => delete m['commit'], 'commit: missing (null when unknown)'],
    ['commit a number', (m) => (m['commit'] = 5), 'commit: expected a non-empty string'],
    ['no ref', (m) => delete m['ref'], 'ref: missing (null when unknown)'],
    ['no layers', (m) => delete m['layers'], 'layers: expected an object'],
    ['layers a list', (m) => (m['layers'] = []), 'layers: expected an object'],
    ['a layer not an object', (m) => (at(m, 'layers')['CoreLayer'] = 'x'), 'layers.CoreLayer: expected an object'],
    [
      'missing layerName',
      (m) => delete at(m, 'layers', 'CoreLayer')['layerName'],
      'layers.CoreLayer.layerName: expected a non-empty string'
    ],
    [
      'bad layerName',
      (m) => (at(m, 'layers', 'CoreLayer')['layerName'] = 'a b'),
      'layers.CoreLayer.layerName: not a Lambda layer name: "a b"'
    ],
    [
      'bad status',
      (m) => (at(m, 'layers', 'CoreLayer')['status'] = 'done'),
      'layers.CoreLayer.status: expected one of published, unchanged, failed, got "done"'
    ],
    ['missing arn', (m) => delete at(m, 'layers', 'CoreLayer')['arn'], 'layers.CoreLayer.arn: expected a non-empty string'],
    [
      'null arn when published',
      (m) => (at(m, 'layers', 'CoreLayer')['arn'] = null),
      'layers.CoreLayer.arn: null, but the layer is published'
    ],
    [
      'unversioned previousArn',
      (m) => (at(m, 'layers', 'CoreLayer')['previousArn'] = 'arn:aws:lambda:us-east-1:123456789012:layer:stack-core'),
      'layers.CoreLayer.previousArn: not a layer version ARN: "arn:aws:lambda:us-east-1:123456789012:layer:stack-core"'
    ],
    [
      'previousArn of another region',
      (m) => (at(m, 'layers', 'CoreLayer')['previousArn'] = ARN('stack-core', 1, 'eu-west-1')),
      'layers.CoreLayer.previousArn: ARN of region eu-west-1, but the manifest is for us-east-1'
    ],
    [
      'arn of another layer',
      (m) => (at(m, 'layers', 'CoreLayer')['arn'] = ARN('utils', 3)),
      'layers.CoreLayer.arn: names layer utils, not stack-core'
    ],
    [
      'unchanged with another previous',
      (m) => (at(m, 'layers', 'UtilsLayer')['previousArn'] = ARN('utils', 2)),
      'layers.UtilsLayer.previousArn: must equal arn when the layer is unchanged'
    ],
    ['bad sha256', (m) => (at(m, 'layers', 'CoreLayer')['sha256'] = 'ABC'), 'layers.CoreLayer.sha256: expected 64 lowercase hex digits'],
    [
      'failed without error',
      (m) => delete at(m, 'layers', 'BrokenLayer')['error'],
      'layers.BrokenLayer.error: expected a non-empty string'
    ],
    ['no functions', (m) => delete m['functions'], 'functions: expected an object'],
    [
      'functionName empty',
      (m) => (at(m, 'functions', 'Api')['functionName'] = ''),
      'functions.Api.functionName: expected a non-empty string'
    ],
    [
      'functionName not a name',
      (m) => (at(m, 'functions', 'Api')['functionName'] = 'api\n::error::x'),
      'functions.Api.functionName: not a Lambda function name: "api\\n::error::x"'
    ],
    [
      'a layer key that is no logical ID',
      (m) => (at(m, 'layers')['X=1 Evil\n::stop-commands::t'] = at(m, 'layers', 'CoreLayer')),
      'layers: not a logical ID (letters and digits): "X=1 Evil\\n::stop-commands::t"'
    ],
    [
      'a function key that is no logical ID',
      (m) => (at(m, 'functions')['Api Other'] = at(m, 'functions', 'Api')),
      'functions: not a logical ID (letters and digits): "Api Other"'
    ],
    [
      'before not a list',
      (m) => (at(m, 'functions', 'Api')['before'] = EXTERNAL),
      'functions.Api.before: expected a list of layer version ARNs'
    ],
    [
      'a bad ARN in after',
      (m) => ((at(m, 'functions', 'Api')['after'] as unknown[])[1] = 'core:2'),
      'functions.Api.after[1]: not a layer version ARN: "core:2"'
    ],
    [
      'an external layer of another region',
      (m) => ((at(m, 'functions', 'Api')['before'] as unknown[])[0] = EXTERNAL.replace('us-east-1', 'us-west-2')),
      'functions.Api.before[0]: ARN of region us-west-2, but the manifest is for us-east-1'
    ]
  ])('%s', (_, edit, problem) => {
    const error = inputError(() => validateManifest(withEdit(edit), FILE));
    expect(error.message).toBe(`${FILE}: ${problem}`);
  });
});

test.each([null, 'text', 42, []])('a root that is not an object (%j)', (value) => {
  expect(inputError(() => validateManifest(value, FILE)).message).toBe(`${FILE}: expected an object`);
});

test("the client's region must be the manifest's", () => {
  const error = inputError(() => validateManifest(valid(), FILE, 'eu-west-1'));
  expect(error.message).toBe(`${FILE}: region: the manifest is for us-east-1, but the region is eu-west-1`);
});
