import type { LayerRef } from '../../src/template/app-model.js';
import { functionLayerLists, usesOurLayers, type LayerVersions } from '../../src/publish/function-layers.js';
import { functionSpec } from './fixtures.js';

const arn = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:layer:${name}:${version}`;
const EXT = 'arn:aws:lambda:us-east-1:999999999999:layer:datadog:12';

const layers = new Map<string, LayerVersions>([
  ['Core', { arn: arn('core', 2), previousArn: arn('core', 1) }], // published
  ['Ml', { arn: arn('ml', 4), previousArn: arn('ml', 4) }], // unchanged
  ['Fresh', { arn: arn('fresh', 1), previousArn: null }], // first publish
  ['Broken', { arn: null, previousArn: null }] // failed on a first publish
]);

const template = (...refs: LayerRef[]) => functionSpec({ name: 'Fn', layers: refs });
const ours = (name: string): LayerRef => ({ kind: 'template', name });
const external = (ref: string): LayerRef => ({ kind: 'external', ref });

describe('functionLayerLists: a live function', () => {
  const fn = template(ours('Core'), ours('Ml'));
  const cases: Array<{ name: string; live: string[]; after: string[] }> = [
    {
      name: 'our layers move to their new versions, others stay in place',
      live: [EXT, arn('core', 1), arn('ml', 4)],
      after: [EXT, arn('core', 2), arn('ml', 4)]
    },
    { name: 'any old version of our layer is replaced', live: [arn('core', 7), EXT], after: [arn('core', 2), EXT] },
    { name: 'a layer the function does not have is not added', live: [EXT], after: [EXT] },
    { name: 'no layers', live: [], after: [] },
    {
      name: 'a layer of the same name in another account is not ours',
      live: ['arn:aws:lambda:us-east-1:111111111111:layer:core:1'],
      after: ['arn:aws:lambda:us-east-1:111111111111:layer:core:1']
    }
  ];
  test.each(cases)('$name', ({ live, after }) => {
    expect(functionLayerLists(fn, live, layers)).toEqual({ before: live, after, omitted: [] });
  });
});

describe('functionLayerLists: from the template (no live function)', () => {
  test('previous and new versions in template order, external ARNs as written', () => {
    const fn = template(external(EXT), ours('Core'), ours('Ml'), ours('Fresh'));
    expect(functionLayerLists(fn, undefined, layers)).toEqual({
      before: [EXT, arn('core', 1), arn('ml', 4)],
      after: [EXT, arn('core', 2), arn('ml', 4), arn('fresh', 1)],
      omitted: []
    });
  });
  test('a failed first publish is in neither list; references that are not ARNs are named', () => {
    const fn = template(ours('Broken'), external('parameter SharedLayerArn'), ours('Core'));
    expect(functionLayerLists(fn, undefined, layers)).toEqual({
      before: [arn('core', 1)],
      after: [arn('core', 2)],
      omitted: ['parameter SharedLayerArn']
    });
  });
});

test('usesOurLayers', () => {
  expect(usesOurLayers(template(external(EXT), ours('Ml')), layers)).toBe(true);
  expect(usesOurLayers(template(external(EXT)), layers)).toBe(false);
  expect(usesOurLayers(template(ours('Other')), layers)).toBe(false);
});
