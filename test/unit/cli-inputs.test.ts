import { BUILD_OPTIONS, PUBLISH_OPTIONS, renderOptions, ROLLBACK_OPTIONS } from '../../src/cli/options.js';
import { cliInputs } from '../../src/cli/inputs.js';
import { cliInputsFrom } from './fixtures.js';

describe('CLI flags as inputs', () => {
  test('a flag given reads as given; one not given as its default; an input no flag stands for as empty', () => {
    const inputs = cliInputsFrom(['--out', 'build'], BUILD_OPTIONS);
    expect(inputs.string('out')).toBe('build');
    expect(inputs.string('template')).toBe('template.yaml');
    // The CLI has no publish-on: a CLI build never publishes on its own.
    expect(inputs.string('publish-on')).toBe('');
    expect(inputs.string('comment')).toBe('');
  });

  test('switches set their input: --no-slim, --no-strip, --update-functions, --print', () => {
    const build = cliInputsFrom(['--no-slim', '--no-strip'], BUILD_OPTIONS);
    expect([build.boolean('slim'), build.boolean('strip')]).toEqual([false, false]);
    expect(cliInputsFrom([], BUILD_OPTIONS).boolean('slim')).toBeUndefined();
    expect(cliInputsFrom(['--update-functions'], PUBLISH_OPTIONS).boolean('update-functions')).toBe(true);
    expect(cliInputsFrom([], PUBLISH_OPTIONS).boolean('update-functions')).toBe(false);
    expect(cliInputsFrom(['--print'], ROLLBACK_OPTIONS).string('rollback-mode')).toBe('print');
    expect(cliInputsFrom([], ROLLBACK_OPTIONS).string('rollback-mode')).toBe('update');
  });

  test('repeated flags and comma lists make one list', () => {
    const inputs = cliInputsFrom(['--parameter', 'A=B,C=D', '--parameter', 'E=F'], ROLLBACK_OPTIONS);
    expect(inputs.list('parameter-names')).toEqual(['A=B', 'C=D', 'E=F']);
  });

  test('labels are the flags; positionals carry their own', () => {
    const inputs = cliInputsFrom([], BUILD_OPTIONS);
    expect(inputs.label('slim')).toBe('--no-slim');
    expect(inputs.label('layers')).toBe('--layers');
    const merge = cliInputs({}, [], { spec: { input: 'reports', label: 'merge', usage: '<report files...>' }, values: ['a/{x,y}.json'] });
    expect(merge.list('reports', 'lines')).toEqual(['a/{x,y}.json']);
    expect(merge.label('reports')).toBe('merge');
  });

  test('usage lines: the help in one column, a long flag pushes it right, continuation lines aligned', () => {
    expect(renderOptions(PUBLISH_OPTIONS.filter((o) => o.flag === 'share-with-organization'))).toBe(
      '  --share-with-organization <o-id>  an organization allowed to use them'
    );
    expect(renderOptions(BUILD_OPTIONS.filter((o) => o.flag === 'bytecode')).split('\n')).toEqual([
      '  --bytecode <mode>           bytecode (default), optimized (-OO: no docstrings, no asserts),',
      '                              source+bytecode or source'
    ]);
  });
});
