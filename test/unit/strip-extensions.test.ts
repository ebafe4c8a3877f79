import { strippable } from '../../src/slim/strip-extensions.js';

describe('strippable', () => {
  test.each([
    'numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so',
    '_cffi_backend.cpython-312-x86_64-linux-gnu.so',
    'cryptography/hazmat/bindings/_rust.abi3.so',
    'pkg/libfoo.so',
    'pkg/libfoo.so.1',
    'pkg/libfoo.so.1.2.3',
    'pkg/libs/libfoo.so',
    'pkg/my.libsx/libfoo.so',
    'libs.py/x.so'
  ])('%s is strippable', (path) => {
    expect(strippable([path])).toEqual([path]);
  });

  test.each([
    'numpy.libs/libopenblas64_p-r0-0cf96a72.3.23.dev.so',
    'scipy.libs/libgfortran-040039e1.so.5.0.0',
    'sklearn/.libs/libgomp-a34b3233.so.1.0.0',
    'pkg/deep/vendor.libs/sub/libz.so',
    'pkg/a.py',
    'pkg/a.pyc',
    'pkg/a.pyd',
    'pkg/a.so.bak',
    'pkg/a.so.1a',
    'pkg/a.sox',
    'pkg/a.dylib',
    'pkg/a.so/b.py',
    'pkg/so',
    'pkg/a_so'
  ])('%s is not strippable', (path) => {
    expect(strippable([path])).toEqual([]);
  });

  test('keeps the given order and drops the rest', () => {
    expect(
      strippable([
        'b/_b.cpython-312-x86_64-linux-gnu.so',
        'numpy.libs/libx.so',
        'a/__init__.py',
        'a/_a.abi3.so',
        'sklearn/.libs/libgomp.so.1'
      ])
    ).toEqual(['b/_b.cpython-312-x86_64-linux-gnu.so', 'a/_a.abi3.so']);
  });

  test('nothing in, nothing out', () => {
    expect(strippable([])).toEqual([]);
  });
});
