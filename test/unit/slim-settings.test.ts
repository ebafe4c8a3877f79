import { BYTECODE_MODES, DEFAULT_SLIM, mergeSlim, type SlimSettings } from '../../src/settings/slim-settings.js';

const BASE: SlimSettings = {
  enabled: true,
  bytecode: 'source+bytecode',
  strip: false,
  remove: ['**/*.md'],
  keep: ['pkg/data/**'],
  disable: ['tests'],
  dropRuntimeProvided: true
};

describe('DEFAULT_SLIM', () => {
  test('slims, strips and ships sourceless bytecode; nothing extra removed or kept', () => {
    expect(DEFAULT_SLIM).toEqual({
      enabled: true,
      bytecode: 'bytecode',
      strip: true,
      remove: [],
      keep: [],
      disable: [],
      dropRuntimeProvided: false
    });
  });

  test('the bytecode modes', () => {
    expect(BYTECODE_MODES).toEqual(['bytecode', 'optimized', 'source+bytecode', 'source']);
  });
});

describe('mergeSlim', () => {
  test('nothing over the base gives the base', () => {
    expect(mergeSlim(BASE, {})).toEqual(BASE);
  });

  test.each<[string, Partial<SlimSettings>, Partial<SlimSettings>]>([
    ['enabled', { enabled: false }, { enabled: false }],
    ['bytecode', { bytecode: 'source' }, { bytecode: 'source' }],
    ['strip', { strip: true }, { strip: true }],
    ['dropRuntimeProvided', { dropRuntimeProvided: false }, { dropRuntimeProvided: false }],
    ['remove (appended)', { remove: ['pkg/big/**'] }, { remove: ['**/*.md', 'pkg/big/**'] }],
    ['keep (appended)', { keep: ['**/*.pem'] }, { keep: ['pkg/data/**', '**/*.pem'] }],
    ['disable (appended)', { disable: ['pycache', 'scripts'] }, { disable: ['tests', 'pycache', 'scripts'] }],
    ['an empty list (appends nothing)', { remove: [] }, {}]
  ])('%s', (_label, over, changed) => {
    expect(mergeSlim(BASE, over)).toEqual({ ...BASE, ...changed });
  });

  test('false scalars override true ones (not treated as unset)', () => {
    expect(mergeSlim(DEFAULT_SLIM, { enabled: false, strip: false })).toEqual({ ...DEFAULT_SLIM, enabled: false, strip: false });
  });

  test('undefined scalars keep the base', () => {
    expect(mergeSlim(BASE, { enabled: undefined, bytecode: undefined, remove: undefined })).toEqual(BASE);
  });

  test('config file, then inputs: lists add up in that order, the later scalar wins', () => {
    const fromFile = mergeSlim(DEFAULT_SLIM, { bytecode: 'source', remove: ['a/**'], strip: false });
    const fromInputs = mergeSlim(fromFile, { bytecode: 'source+bytecode', remove: ['b/**'] });
    expect(fromInputs).toEqual({ ...DEFAULT_SLIM, bytecode: 'source+bytecode', strip: false, remove: ['a/**', 'b/**'] });
  });

  test('does not change its arguments or share their lists', () => {
    const base: SlimSettings = { ...BASE, remove: ['x'] };
    const over: Partial<SlimSettings> = { remove: ['y'] };
    const merged = mergeSlim(base, over);
    merged.remove.push('z');
    merged.keep.push('k');
    expect(base.remove).toEqual(['x']);
    expect(base.keep).toEqual(['pkg/data/**']);
    expect(over.remove).toEqual(['y']);
    expect(DEFAULT_SLIM.remove).toEqual([]);
  });
});
