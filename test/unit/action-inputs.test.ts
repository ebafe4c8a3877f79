import { actionInputsFrom, inputErrorFrom } from './fixtures.js';

describe('action inputs', () => {
  test('an unset input reads as its action.yml default, a given one as given (trimmed)', () => {
    const inputs = actionInputsFrom({ out: ' build ', comment: '' });
    expect(inputs.string('out')).toBe('build');
    expect(inputs.string('comment')).toBe('always');
    // Publishing is opt-in: a build publishes on a tag only when publish-on is set.
    expect(inputs.string('publish-on')).toBe('');
    expect(inputs.string('rollback-mode')).toBe('update');
    expect(inputs.string('report')).toBe('');
  });

  test('lists: by commas and whitespace, or by lines', () => {
    const inputs = actionInputsFrom({ layers: 'CoreLayer,\nMlLayer  Other', reports: 'jobs/{a,b}/report.json\n\nmy dir/*.json' });
    expect(inputs.list('layers')).toEqual(['CoreLayer', 'MlLayer', 'Other']);
    expect(inputs.list('reports', 'lines')).toEqual(['jobs/{a,b}/report.json', 'my dir/*.json']);
  });

  test.each<[string, boolean | undefined]>([
    ['', undefined],
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('boolean %j -> %j (the YAML core schema, as core.getBooleanInput)', (value, expected) => {
    expect(actionInputsFrom({ slim: value }).boolean('slim')).toBe(expected);
  });

  test('a boolean default applies when unset', () => {
    expect(actionInputsFrom({}).boolean('fail-on-increase')).toBe(false);
  });

  test.each(['yes', '1', 'tRue'])('boolean %j is an input error naming the input', (value) => {
    expect(inputErrorFrom(() => actionInputsFrom({ strip: value }).boolean('strip')).message).toBe(
      `input strip must be true or false, got "${value}"`
    );
  });

  test('numbers, and the label messages use', () => {
    const inputs = actionInputsFrom({ 'min-change-percent': '0.5', 'pr-number': 'x' });
    expect(inputs.number('min-change-percent')).toBe(0.5);
    expect(inputs.number('min-change-bytes')).toBe(1);
    expect(inputs.number('warn-at-limit-percent')).toBeUndefined();
    expect(inputErrorFrom(() => inputs.number('pr-number')).message).toBe('input pr-number must be a number, got "x"');
    expect(inputs.label('slim')).toBe('input slim');
  });
});
