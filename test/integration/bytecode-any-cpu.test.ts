import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { platformFor } from '../../src/lambda/platform.js';
import { findTargetPython } from '../../src/tools/python-finder.js';
import { InputError } from '../../src/shared/errors.js';

/**
 * Bytecode does not depend on the CPU. A .pyc is a 16-byte header, then marshalled code (PEP 552,
 * https://peps.python.org/pep-0552/): the magic number (the bytecode version), a 32-bit flags word (bit 0
 * hash-based, bit 1 check the source), then the source's hash (or mtime and size). No field names a CPU,
 * and marshal writes little-endian whatever the host (CPython's Lib/importlib/_bootstrap_external.py,
 * _code_to_hash_pyc and _pack_uint32; Python/marshal.c). So an arm64 layer gets its bytecode from the
 * version's CPython on whatever CPU builds it: here an x86_64 one, for python3.12 arm64.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-bytecode-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const SOURCE = '"""A module."""\nimport math\n\ndef area(r: float) -> float:\n    assert r >= 0\n    return math.pi * r * r\n';

test('an arm64 build compiles with the x86_64 CPython of its version: the bytes py_compile writes anywhere', async () => {
  const python = await findTargetPython(platformFor('python3.12', 'arm64'), {}, process.env);
  if (!python) throw new Error('no CPython 3.12 on this machine');
  expect(python).toMatchObject({ runsTarget: os.arch() === 'arm64', machine: os.arch() === 'arm64' ? 'aarch64' : 'x86_64' });
  expect(python.version).toMatch(/^3\.12\./);

  for (const optimize of [0, 2] as const) {
    const site = path.join(dir, `site-${optimize}`, 'pkg');
    await mkdir(site, { recursive: true });
    await writeFile(path.join(site, 'geometry.py'), SOURCE);
    const count = await python.compile(path.dirname(site), { sourceless: true, optimize, deployedAt: '/opt/python' });
    expect(count).toBe(1);
    const ours = await readFile(path.join(site, 'geometry.pyc'));

    // The same CPython, elsewhere (another folder), asked directly with the same flags.
    const elsewhere = path.join(dir, `elsewhere-${optimize}`);
    await mkdir(elsewhere);
    await writeFile(path.join(elsewhere, 'geometry.py'), SOURCE);
    execFileSync(python.path, [
      '-c',
      'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], dfile=sys.argv[3], doraise=True, ' +
        'optimize=int(sys.argv[4]), invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)',
      path.join(elsewhere, 'geometry.py'),
      path.join(elsewhere, 'geometry.pyc'),
      '/opt/python/pkg/geometry.py',
      String(optimize)
    ]);
    expect(ours.equals(await readFile(path.join(elsewhere, 'geometry.pyc')))).toBe(true);

    // The PEP 552 header: the magic number the report records, flags 1 (hash-based, unchecked), the source's hash.
    expect(ours.subarray(0, 4).toString('hex')).toBe(python.magic);
    expect(ours.readUInt32LE(4)).toBe(1);
    expect(ours.length).toBeGreaterThan(16);
  }
});

test('a configured interpreter of the version on another CPU writes the bytecode; one of another version is bad input', async () => {
  const found = await findTargetPython(platformFor('python3.12', 'x86_64'), {}, process.env);
  if (!found) throw new Error('no CPython 3.12 on this machine');
  const other = os.arch() === 'arm64' ? 'x86_64' : 'arm64';
  const configured = await findTargetPython(platformFor('python3.12', other), { '3.12': found.path }, process.env);
  expect(configured).toMatchObject({ path: found.path, runsTarget: false, magic: found.magic });
  const wrong = findTargetPython(platformFor('python3.11', other), { '3.11': found.path }, process.env);
  await expect(wrong).rejects.toThrow(new InputError(`pythons["3.11"]: ${found.path} is not a CPython 3.11`));
});

test('an interpreter found by name on PATH is kept by its absolute path, so a sandbox with another PATH still runs it', async () => {
  const found = await findTargetPython(platformFor('python3.12', 'x86_64'), {}, process.env);
  if (!found) throw new Error('no CPython 3.12 on this machine');
  const env = { ...process.env, PATH: `${path.dirname(found.path)}:${process.env['PATH'] ?? ''}` };
  const onPath = await findTargetPython(platformFor('python3.12', 'x86_64'), {}, env);
  expect(path.isAbsolute(onPath?.path ?? '')).toBe(true);
  const configured = await findTargetPython(platformFor('python3.12', 'x86_64'), { '3.12': 'python3.12' }, env);
  expect(configured?.path).toBe(onPath?.path);
});
