import { InputError } from '../../src/shared/errors.js';
import type { RollbackManifest } from '../../src/rollback/manifest.js';
import {
  firstPublished,
  firstPublishedWarnings,
  layerRollbacks,
  parameterOverrides,
  parseParameterNames,
  planFunctionRollback
} from '../../src/rollback/rollback-plan.js';
import { renderOverridesSummary, renderRollbackSummary } from '../../src/rollback/render-rollback.js';
import { thrownBy } from './fixtures.js';

const ARN = (name: string, version: number, account = '123456789012') => `arn:aws:lambda:us-east-1:${account}:layer:${name}:${version}`;
const EXTERNAL = ARN('powertools', 7, '017000801446');

const MANIFEST: RollbackManifest = {
  version: 1,
  region: 'us-east-1',
  createdAt: '2026-11-26T01:30:00.000Z',
  commit: null,
  ref: null,
  layers: {
    CoreLayer: { layerName: 'core', status: 'published', arn: ARN('core', 3), previousArn: ARN('core', 2), sha256: 'a'.repeat(64) },
    UtilsLayer: { layerName: 'utils', status: 'unchanged', arn: ARN('utils', 1), previousArn: ARN('utils', 1), sha256: 'b'.repeat(64) },
    NewLayer: { layerName: 'new', status: 'published', arn: ARN('new', 1), previousArn: null, sha256: 'c'.repeat(64) },
    LostLayer: { layerName: 'lost', status: 'failed', arn: null, previousArn: null, sha256: 'd'.repeat(64), error: 'boom' }
  },
  functions: {}
};
const LAYERS = layerRollbacks(MANIFEST);

test('our layers are keyed by their unversioned ARN; a layer that never existed is left out', () => {
  expect([...LAYERS.keys()]).toEqual([
    'arn:aws:lambda:us-east-1:123456789012:layer:core',
    'arn:aws:lambda:us-east-1:123456789012:layer:utils',
    'arn:aws:lambda:us-east-1:123456789012:layer:new'
  ]);
  expect(firstPublished(MANIFEST)).toEqual(['NewLayer']);
  expect(firstPublishedWarnings(MANIFEST)).toEqual([
    'NewLayer (new) cannot be rolled back: this release published its first version, there is no previous one'
  ]);
});

describe('planFunctionRollback', () => {
  test.each<[string, string[], string[], boolean, string[]]>([
    [
      'ours back to the previous version, the external layer in its place',
      [EXTERNAL, ARN('core', 3), ARN('utils', 1)],
      [EXTERNAL, ARN('core', 2), ARN('utils', 1)],
      false,
      []
    ],
    ['order kept when ours comes first', [ARN('core', 3), EXTERNAL], [ARN('core', 2), EXTERNAL], false, []],
    ['a later version than the manifest knows also goes back', [ARN('core', 9)], [ARN('core', 2)], false, []],
    ['already rolled back', [EXTERNAL, ARN('core', 2)], [EXTERNAL, ARN('core', 2)], true, []],
    ['no layers at all', [], [], true, []],
    ['only layers that are not ours', [EXTERNAL, ARN('core', 3, '999999999999')], [EXTERNAL, ARN('core', 3, '999999999999')], true, []],
    [
      'a first-published layer stays and is reported',
      [ARN('new', 1), ARN('core', 3)],
      [ARN('new', 1), ARN('core', 2)],
      false,
      ['NewLayer']
    ],
    ['only a first-published layer', [ARN('new', 1)], [ARN('new', 1)], true, ['NewLayer']]
  ])('%s', (_, current, target, unchanged, noPrevious) => {
    const plan = planFunctionRollback(current, LAYERS);
    expect(plan.target).toEqual(target);
    expect(plan.unchanged).toBe(unchanged);
    expect(plan.noPrevious.map((l) => l.logicalId)).toEqual(noPrevious);
  });
});

describe('parameter overrides', () => {
  test('logical IDs by default, only layers with a previous version', () => {
    expect(parameterOverrides(MANIFEST, {}, '--parameter')).toEqual([`CoreLayer=${ARN('core', 2)}`, `UtilsLayer=${ARN('utils', 1)}`]);
  });

  test('mapped to parameter names', () => {
    expect(parameterOverrides(MANIFEST, parseParameterNames(['CoreLayer=CoreLayerArn'], '--parameter'), '--parameter')).toEqual([
      `CoreLayerArn=${ARN('core', 2)}`,
      `UtilsLayer=${ARN('utils', 1)}`
    ]);
  });

  test('a mapping for a layer the manifest does not have is an error naming the input', () => {
    const error = thrownBy(() => parameterOverrides(MANIFEST, { Nope: 'X' }, '--parameter')) as Error;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('--parameter: Nope is not a layer of the manifest (CoreLayer, UtilsLayer, NewLayer, LostLayer)');
  });

  test.each(['CoreLayer', 'CoreLayer=', '=X', 'Core Layer=X', 'A=B=C'])('bad pair %j', (pair) => {
    const error = thrownBy(() => parseParameterNames([pair], 'parameter-names')) as Error;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`parameter-names: expected LogicalId=ParameterName, got "${pair}"`);
  });

  test('the print summary', () => {
    expect(renderOverridesSummary(['A=arn1', 'B=arn2'], 'm.json')).toMatchSnapshot();
    expect(renderOverridesSummary([], 'm.json')).toContain('No layer of the manifest has a previous version.');
  });
});

test('the rollback summary', () => {
  const summary = renderRollbackSummary(
    {
      ok: false,
      firstPublished: ['NewLayer'],
      functions: [
        {
          logicalId: 'Api',
          functionName: 'stack-api',
          status: 'rolled-back',
          before: [EXTERNAL, ARN('core', 3)],
          after: [EXTERNAL, ARN('core', 2)],
          noPrevious: []
        },
        {
          logicalId: 'Worker',
          functionName: 'stack-worker',
          status: 'already-rolled-back',
          before: [ARN('new', 1)],
          after: [ARN('new', 1)],
          noPrevious: ['NewLayer']
        },
        { logicalId: 'Cron', functionName: null, status: 'no-function-name', noPrevious: [] },
        { logicalId: 'Gone', functionName: 'stack-gone', status: 'failed', noPrevious: [], error: 'Function not found | really' }
      ]
    },
    'out/rollback-manifest.json'
  );
  expect(summary).toMatchSnapshot();
});
