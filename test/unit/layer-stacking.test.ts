import { keptForOtherStacks, planStacking, type FunctionStack } from '../../src/plan/layer-stacking.js';

const fn = (name: string, ...layers: string[]): FunctionStack => ({ name, layers });

/** A map's entries as a plain object, for whole-value assertions. */
const asObject = (map: Map<string, string[]>) => Object.fromEntries(map);

describe('planStacking', () => {
  test('commonBelow is what lies below a layer in every stack that uses it; the rest is sometimesBelow', () => {
    const functions = [fn('Full', 'A', 'B', 'C'), fn('Lean', 'A', 'C')];
    const stacking = planStacking(['A', 'B', 'C'], functions);
    expect(asObject(stacking.commonBelow)).toEqual({ A: [], B: ['A'], C: ['A'] });
    expect(asObject(stacking.sometimesBelow)).toEqual({ A: [], B: [], C: ['B'] });
    expect(stacking.order).toEqual(['A', 'B', 'C']);
    expect(stacking.stacks).toEqual(functions);
  });

  test('one stack: everything below is common, in stack order', () => {
    const stacking = planStacking(['Top', 'Mid', 'Base'], [fn('F', 'Base', 'Mid', 'Top')]);
    expect(asObject(stacking.commonBelow)).toEqual({ Top: ['Base', 'Mid'], Mid: ['Base'], Base: [] });
    expect(asObject(stacking.sometimesBelow)).toEqual({ Top: [], Mid: [], Base: [] });
  });

  test('a layer used on its own by one function has nothing common below it', () => {
    const stacking = planStacking(['A', 'B'], [fn('Both', 'A', 'B'), fn('Alone', 'B')]);
    expect(asObject(stacking.commonBelow)).toEqual({ A: [], B: [] });
    expect(asObject(stacking.sometimesBelow)).toEqual({ A: [], B: ['A'] });
  });

  test('layers in opposite orders in two stacks are below each other only sometimes', () => {
    const stacking = planStacking(['A', 'B'], [fn('F', 'A', 'B'), fn('G', 'B', 'A')]);
    expect(asObject(stacking.commonBelow)).toEqual({ A: [], B: [] });
    expect(asObject(stacking.sometimesBelow)).toEqual({ A: ['B'], B: ['A'] });
    expect(stacking.order).toEqual(['A', 'B']);
  });

  test('sometimesBelow has each layer once, in the order first seen', () => {
    const stacking = planStacking(['A', 'B', 'C', 'D'], [fn('F', 'B', 'A', 'D'), fn('G', 'C', 'A', 'D'), fn('H', 'C', 'B', 'D')]);
    expect(stacking.commonBelow.get('D')).toEqual([]);
    expect(stacking.sometimesBelow.get('D')).toEqual(['B', 'A', 'C']);
  });

  test('a layer no function uses gets empty lists', () => {
    const stacking = planStacking(['Used', 'Unused'], [fn('F', 'Used')]);
    expect(stacking.commonBelow.get('Unused')).toEqual([]);
    expect(stacking.sometimesBelow.get('Unused')).toEqual([]);
    expect(stacking.order).toEqual(['Used', 'Unused']);
  });

  test('no functions: every layer is alone, in template order', () => {
    const stacking = planStacking(['C', 'A', 'B'], []);
    expect(asObject(stacking.commonBelow)).toEqual({ C: [], A: [], B: [] });
    expect(stacking.order).toEqual(['C', 'A', 'B']);
    expect(stacking.stacks).toEqual([]);
  });

  test.each<[string, string[], FunctionStack[], string[]]>([
    ['already in stack order', ['A', 'B', 'C'], [fn('F', 'A', 'B', 'C')], ['A', 'B', 'C']],
    ['template order reversed', ['C', 'B', 'A'], [fn('F', 'A', 'B', 'C')], ['A', 'B', 'C']],
    [
      'a lower layer pulled before the first layer that needs it',
      ['X', 'Top', 'Y', 'Base'],
      [fn('F', 'Base', 'Top')],
      ['X', 'Base', 'Top', 'Y']
    ],
    ['independent layers keep template order', ['Z', 'Y', 'X'], [fn('F', 'Z'), fn('G', 'Y'), fn('H', 'X')], ['Z', 'Y', 'X']],
    ['sometimes-below does not reorder (B stays after C)', ['C', 'B', 'A'], [fn('F', 'A', 'B', 'C'), fn('G', 'A', 'C')], ['A', 'C', 'B']],
    ['only common-below reorders', ['C', 'B', 'A'], [fn('F', 'B', 'C'), fn('G', 'A', 'C')], ['C', 'B', 'A']],
    ['two stacks over one base', ['Ml', 'Web', 'Core'], [fn('F', 'Core', 'Ml'), fn('G', 'Core', 'Web')], ['Core', 'Ml', 'Web']]
  ])('order: %s', (_label, layers, functions, order) => {
    expect(planStacking(layers, functions).order).toEqual(order);
  });

  test('order puts every layer after its commonBelow layers, and lists each layer once', () => {
    const layers = ['E', 'D', 'C', 'B', 'A'];
    const stacking = planStacking(layers, [fn('F', 'A', 'B', 'C', 'E'), fn('G', 'A', 'C', 'D', 'E'), fn('H', 'B', 'D')]);
    expect([...stacking.order].sort()).toEqual([...layers].sort());
    for (const layer of layers) {
      for (const below of stacking.commonBelow.get(layer) ?? []) {
        expect(stacking.order.indexOf(below)).toBeLessThan(stacking.order.indexOf(layer));
      }
    }
    expect(asObject(stacking.commonBelow)).toEqual({ E: ['A', 'C'], D: [], C: ['A'], B: [], A: [] });
    expect(stacking.order).toEqual(['A', 'C', 'E', 'D', 'B']);
  });

  test('stacks are a copy of the functions, in their order', () => {
    const functions = [fn('F', 'A'), fn('G', 'A', 'B')];
    const stacking = planStacking(['A', 'B'], functions);
    expect(stacking.stacks).toEqual(functions);
    expect(stacking.stacks).not.toBe(functions);
  });
});

describe('keptForOtherStacks', () => {
  const provides: Record<string, string[]> = { Core: ['numpy', 'six', 'pytz'], Extra: ['idna'], Empty: [] };
  const providedBy = (layer: string) => provides[layer] ?? [];

  test('names the shared distributions, the lower layer and a function that uses the layer without it', () => {
    const stacks = [fn('Full', 'Core', 'Ml'), fn('Lean', 'Ml')];
    expect(keptForOtherStacks('Ml', stacks, ['Core'], providedBy, ['pandas', 'numpy', 'six'])).toEqual([
      'keeps numpy, six although layer Core provides them: function Lean uses this layer without Core below it'
    ]);
  });

  test('the first function without the lower layer below is named; a function with it above does not count as having it', () => {
    const stacks = [fn('WithCore', 'Core', 'Ml'), fn('CoreOnTop', 'Ml', 'Core'), fn('Lean', 'Ml')];
    expect(keptForOtherStacks('Ml', stacks, ['Core'], providedBy, ['numpy'])).toEqual([
      'keeps numpy although layer Core provides them: function CoreOnTop uses this layer without Core below it'
    ]);
  });

  test('one note per lower layer that shares something', () => {
    const stacks = [fn('A', 'Core', 'Extra', 'Ml'), fn('B', 'Extra', 'Ml'), fn('C', 'Core', 'Ml')];
    expect(keptForOtherStacks('Ml', stacks, ['Core', 'Extra', 'Empty'], providedBy, ['idna', 'pytz'])).toEqual([
      'keeps pytz although layer Core provides them: function B uses this layer without Core below it',
      'keeps idna although layer Extra provides them: function C uses this layer without Extra below it'
    ]);
  });

  test.each<[string, string[], string[]]>([
    ['nothing shared with the lower layer', ['Core'], ['pandas', 'requests']],
    ['the lower layer provides nothing', ['Empty'], ['numpy']],
    ['no sometimes-below layers', [], ['numpy']],
    ['the layer owns nothing', ['Core'], []]
  ])('no note when %s', (_label, sometimesBelow, own) => {
    const stacks = [fn('Full', 'Core', 'Empty', 'Ml'), fn('Lean', 'Ml')];
    expect(keptForOtherStacks('Ml', stacks, sometimesBelow, providedBy, own)).toEqual([]);
  });

  test('no note when every stack using the layer has the lower layer below it', () => {
    const stacks = [fn('F', 'Core', 'Ml'), fn('Other', 'Extra')];
    expect(keptForOtherStacks('Ml', stacks, ['Core'], providedBy, ['numpy'])).toEqual([]);
  });

  test('with planStacking: the sometimes-below layer of the plan gives the note', () => {
    const stacking = planStacking(['Core', 'Ml'], [fn('Full', 'Core', 'Ml'), fn('Lean', 'Ml')]);
    expect(stacking.sometimesBelow.get('Ml')).toEqual(['Core']);
    expect(keptForOtherStacks('Ml', stacking.stacks, stacking.sometimesBelow.get('Ml') ?? [], providedBy, ['six'])).toEqual([
      'keeps six although layer Core provides them: function Lean uses this layer without Core below it'
    ]);
  });
});
