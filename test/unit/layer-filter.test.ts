import { selectLayers } from '../../src/layer-filter.js';
import { planStacking, type FunctionStack } from '../../src/slim/layer-stacking.js';
import { inputErrorFrom } from './fixtures.js';

const fn = (name: string, ...layers: string[]): FunctionStack => ({ name, layers });
// Core below Ml in every stack; Extra used alone and on top of Core by different functions.
const STACKING = planStacking(['Core', 'Ml', 'Extra'], [fn('Validate', 'Core'), fn('Predict', 'Core', 'Ml'), fn('Report', 'Extra'), fn('Mixed', 'Core', 'Extra'), fn('Bare')]);

const view = (names: string[], stacked = true) => {
  const s = selectLayers(names, STACKING, stacked);
  return { reported: [...s.reported], built: [...s.built], skipped: [...s.skippedFunctions.keys()] };
};

describe('selectLayers', () => {
  test.each([
    ['no filter: everything, nothing skipped', [], true, { reported: ['Core', 'Ml', 'Extra'], built: ['Core', 'Ml', 'Extra'], skipped: [] }],
    ['a base layer alone', ['Core'], true, { reported: ['Core'], built: ['Core'], skipped: ['Predict', 'Report', 'Mixed'] }],
    ['an upper layer builds the layers below it in every stack, reports only itself', ['Ml'], true, { reported: ['Ml'], built: ['Core', 'Ml'], skipped: ['Report', 'Mixed'] }],
    ['a layer with nothing common below it builds alone', ['Extra'], true, { reported: ['Extra'], built: ['Extra'], skipped: ['Validate', 'Predict', 'Mixed'] }],
    ['a group of layers checks every function stacked on them only', ['Core', 'Extra'], true, { reported: ['Core', 'Extra'], built: ['Core', 'Extra'], skipped: ['Predict'] }],
    ['naive builds do not need the layers below', ['Ml'], false, { reported: ['Ml'], built: ['Ml'], skipped: ['Validate', 'Predict', 'Report', 'Mixed'] }]
  ])('%s', (_name, names, stacked, expected) => {
    expect(view(names as string[], stacked as boolean)).toEqual(expected);
  });

  test('built layers come in build order, whatever order they were named in', () => {
    expect(view(['Ml', 'Core']).built).toEqual(['Core', 'Ml']);
  });

  test('a skipped function says which layers it misses and what the job builds', () => {
    expect(selectLayers(['Core'], STACKING, true).skippedFunctions.get('Predict')).toBe(
      'Predict: not checked in this job: it needs layer Ml, not built here (layers: Core)'
    );
  });

  test('an unknown name is an input error naming the input and listing the layers', () => {
    const error = inputErrorFrom(() => selectLayers(['Core', 'Nope'], STACKING, true));
    expect(error.message).toBe('layers: no layer "Nope" in the template; its layers are: Core, Extra, Ml');
  });
});
