import { checkedByJob, selectLayers } from '../../src/plan/layer-filter.js';
import { planStacking, type FunctionStack } from '../../src/plan/layer-stacking.js';
import { inputErrorFrom } from './fixtures.js';

const fn = (name: string, ...layers: string[]): FunctionStack => ({ name, layers });
// The example app's shape: Core at the bottom; Ml only in some stacks below Aws; plus a lone layer and a function without layers.
const STACKING = planStacking(
  ['Core', 'Ml', 'Aws', 'Extra'],
  [fn('Validate', 'Core', 'Aws'), fn('Predict', 'Core', 'Ml', 'Aws'), fn('Train', 'Core', 'Ml'), fn('Report', 'Extra'), fn('Bare')]
);

const view = (names: string[], stacked = true) => {
  const s = selectLayers(names, STACKING, stacked);
  return {
    reported: [...s.reported],
    built: [...s.built],
    checked: STACKING.stacks.map((f) => f.name).filter((f) => !s.skippedFunctions.has(f))
  };
};

describe('selectLayers', () => {
  test.each([
    [
      'no filter: everything',
      [],
      true,
      {
        reported: ['Core', 'Ml', 'Aws', 'Extra'],
        built: ['Core', 'Ml', 'Aws', 'Extra'],
        checked: ['Validate', 'Predict', 'Train', 'Report', 'Bare']
      }
    ],
    ['a base layer alone checks no stacked function', ['Core'], true, { reported: ['Core'], built: ['Core'], checked: ['Bare'] }],
    [
      'an upper layer builds the layers below it and checks the functions it tops',
      ['Ml'],
      true,
      { reported: ['Ml'], built: ['Core', 'Ml'], checked: ['Train', 'Bare'] }
    ],
    // Aws is resolved against Core only (Ml is below it in some stacks); Predict needs Ml built too.
    [
      'the top layer of several stacks builds each whole stack',
      ['Aws'],
      true,
      { reported: ['Aws'], built: ['Core', 'Ml', 'Aws'], checked: ['Validate', 'Predict', 'Bare'] }
    ],
    ['a lone layer', ['Extra'], true, { reported: ['Extra'], built: ['Extra'], checked: ['Report', 'Bare'] }],
    ['a group of layers', ['Core', 'Extra'], true, { reported: ['Core', 'Extra'], built: ['Core', 'Extra'], checked: ['Report', 'Bare'] }],
    [
      'naive builds need no layer below, only the stacks of the functions checked',
      ['Ml'],
      false,
      { reported: ['Ml'], built: ['Core', 'Ml'], checked: ['Train', 'Bare'] }
    ]
  ])('%s', (_name, names, stacked, expected) => {
    expect(view(names, stacked)).toEqual(expected);
  });

  test('a matrix of one job per layer checks every function with layers exactly once', () => {
    const checks = ['Core', 'Ml', 'Aws', 'Extra'].flatMap((layer) => view([layer]).checked).filter((f) => f !== 'Bare');
    expect(checks.sort()).toEqual(['Predict', 'Report', 'Train', 'Validate']);
  });

  test('built layers come in build order, whatever order they were named in', () => {
    expect(view(['Ml', 'Core']).built).toEqual(['Core', 'Ml']);
  });

  test('a function left to another job says which', () => {
    expect(selectLayers(['Core'], STACKING, true).skippedFunctions.get('Predict')).toBe(
      'Predict: checked by the job that builds its last layer, Aws (this job: layers Core)'
    );
  });

  test('an unknown name is an input error naming the input and listing the layers', () => {
    const error = inputErrorFrom(() => selectLayers(['Core', 'Nope'], STACKING, true));
    expect(error.message).toBe('layers: no layer "Nope" in the template; its layers are: Aws, Core, Extra, Ml');
  });
});

describe('checkedByJob', () => {
  test.each([
    [[], ['Core', 'Aws'], true],
    [['Aws'], ['Core', 'Aws'], true],
    [['Core'], ['Core', 'Aws'], false],
    [['Core'], [], true]
  ])('job %j, function stack %j: %s, as selectLayers decides', (names, stack, expected) => {
    expect(checkedByJob(names, stack)).toBe(expected);
    const stacking = planStacking(['Core', 'Aws'], [fn('F', ...stack)]);
    expect(!selectLayers(names, stacking, true).skippedFunctions.has('F')).toBe(expected);
  });
});
