import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripExtensions, strippable } from '../../src/slim/strip-extensions.js';
import { FakePython, FakeStrip, NEEDS_SYMBOLS, SYMBOLS, UNLOADABLE } from '../helpers/fake-tools.js';

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

describe('stripExtensions', () => {
  let siteDir: string;
  beforeEach(async () => {
    siteDir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-strip-test-'));
    await mkdir(path.join(siteDir, 'pkg'));
  });
  afterEach(() => rm(siteDir, { recursive: true, force: true }));

  const files = {
    'pkg/_fast.so': `ELF fast${SYMBOLS} ${'symbols '.repeat(20)}`,
    'pkg/_fragile.so': `ELF ${NEEDS_SYMBOLS}${SYMBOLS} symbols`,
    'pkg/_broken.so': `ELF ${UNLOADABLE}${SYMBOLS} symbols`,
    'pkg/_damaged.so': `ELF STRIP-FAILS${SYMBOLS} symbols`
  };
  const read = (rel: string) => readFile(path.join(siteDir, rel), 'utf8');

  test('strips what still loads, restores what no longer does, and leaves alone what never did', async () => {
    for (const [rel, content] of Object.entries(files)) await writeFile(path.join(siteDir, rel), content);
    const strip = new FakeStrip();
    const result = await stripExtensions(siteDir, Object.keys(files), new FakePython(), strip);
    expect(result.files).toBe(1);
    expect(result.bytesSaved).toBe(files['pkg/_fast.so'].length - 'ELF fast'.length);
    expect(result.restored).toEqual([`pkg/_fragile.so: ${path.join(siteDir, 'pkg/_fragile.so')}: undefined symbol: PyInit_needed`]);
    expect(await read('pkg/_fast.so')).toBe('ELF fast');
    // Put back byte for byte: the one that no longer loaded, and the one strip failed on.
    expect(await read('pkg/_fragile.so')).toBe(files['pkg/_fragile.so']);
    expect(await read('pkg/_damaged.so')).toBe(files['pkg/_damaged.so']);
    // A file that did not load before stripping is never handed to strip.
    expect(await read('pkg/_broken.so')).toBe(files['pkg/_broken.so']);
    // One run for all three candidates; strip failed on one, so each was redone alone from its original.
    expect(strip.runs).toBe(4);
    expect(strip.stripped.map((f) => path.relative(siteDir, f))).toEqual([
      'pkg/_fast.so',
      'pkg/_fragile.so',
      'pkg/_fast.so',
      'pkg/_fragile.so'
    ]);
  });

  test('one strip run for many files when strip takes them all', async () => {
    const many = Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`pkg/_m${i}.so`, `ELF m${i}${SYMBOLS} symbols`]));
    for (const [rel, content] of Object.entries(many)) await writeFile(path.join(siteDir, rel), content);
    const strip = new FakeStrip();
    const result = await stripExtensions(siteDir, Object.keys(many), new FakePython(), strip);
    expect(result).toMatchObject({ files: 450, restored: [] });
    expect(strip.runs).toBe(3); // batches of 200
    expect(await read('pkg/_m449.so')).toBe('ELF m449');
  });
});
