import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ElfError, EM_AARCH64, EM_X86_64, parseElf, PT_LOAD } from '../../src/elf/elf.js';
import { elfProblems } from '../../src/elf/elf-rules.js';
import { platformFor } from '../../src/lambda/platform.js';
import { runtimeLibraries } from '../../src/lambda/runtime-libraries.js';
import { moduleNeeding, moduleNeedingGlibc238, nativeModule } from '../helpers/tiny-elf.js';

/** The ELF reader on real shared objects: built here by cc, and the system's own libstdc++. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-elf-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const HOST_MACHINE = os.arch() === 'arm64' ? EM_AARCH64 : EM_X86_64;
const HOST_ARCH = os.arch() === 'arm64' ? 'arm64' : 'x86_64';
const OTHER_ARCH = os.arch() === 'arm64' ? 'x86_64' : 'arm64';

test('a module built here: its machine, loadable segments, libc needed with the versions and symbols', async () => {
  const info = parseElf(await nativeModule(dir, 'speedups'));
  expect(info.bits).toBe(64);
  expect(info.machine).toBe(HOST_MACHINE);
  expect(info.programHeaders.filter((p) => p.type === PT_LOAD).length).toBeGreaterThan(0);
  expect(info.needed).toContain('libc.so.6');
  const strlen = info.versionNeeds.find((v) => v.symbols.includes('strlen'));
  expect(strlen).toMatchObject({ file: 'libc.so.6', version: expect.stringMatching(/^GLIBC_2\.\d+/) as unknown });
});

test("the system's libstdc++: DT_NEEDED, its soname, GLIBC versions needed from libc and libm", async () => {
  const candidates = ['/usr/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib/aarch64-linux-gnu/libstdc++.so.6', '/usr/lib64/libstdc++.so.6'];
  const file = (await Promise.all(candidates.map((c) => readFile(c).catch(() => undefined)))).find(Boolean);
  if (!file) throw new Error('no libstdc++.so.6 on this machine');
  const info = parseElf(file);
  expect(info.soname).toBe('libstdc++.so.6');
  expect(info.needed).toEqual(expect.arrayContaining(['libm.so.6', 'libc.so.6']));
  expect([...new Set(info.versionNeeds.map((v) => v.file))]).toEqual(expect.arrayContaining(['libc.so.6', 'libm.so.6']));
});

test('a module for this CPU passes on its architecture and fails on the other, by name', async () => {
  const info = parseElf(await nativeModule(dir, 'speedups'));
  const target = (arch: 'x86_64' | 'arm64') => {
    const platform = platformFor('python3.12', arch);
    return { platform, provided: runtimeLibraries(platform) };
  };
  expect(elfProblems('/opt/python/pkg/speedups.so (layer Core)', info, target(HOST_ARCH))).toEqual([]);
  expect(elfProblems('/opt/python/pkg/speedups.so (layer Core)', info, target(OTHER_ARCH))).toEqual([
    `/opt/python/pkg/speedups.so (layer Core): built for ${HOST_ARCH === 'arm64' ? 'aarch64' : 'x86_64'}, but the function runs on ${OTHER_ARCH} (${OTHER_ARCH === 'arm64' ? 'aarch64' : 'x86_64'})`
  ]);
});

test('a module needing GLIBC_2.38 fails on AL2 and AL2023, naming the version and the symbol', async () => {
  const info = parseElf(await moduleNeedingGlibc238(dir));
  expect(info.versionNeeds).toEqual([{ file: 'libc.so.6', version: 'GLIBC_2.38', symbols: ['memfd_secret_like'] }]);
  for (const [runtime, glibc] of [
    ['python3.11', '2.26'],
    ['python3.12', '2.34']
  ] as const) {
    const platform = platformFor(runtime, HOST_ARCH);
    expect(elfProblems('/var/task/newglibc.so (function F)', info, { platform, provided: runtimeLibraries(platform) })).toEqual([
      `/var/task/newglibc.so (function F): needs GLIBC_2.38 (memfd_secret_like), but ${runtime} has glibc ${glibc}: use a wheel built for an older manylinux`
    ]);
  }
});

test('a library needed that neither the stack nor the runtime provides fails; shipped, or an unknown stack, it does not', async () => {
  const info = parseElf(await moduleNeeding(dir, 'libGL.so.1'));
  expect(info.needed).toContain('libGL.so.1');
  const platform = platformFor('python3.12', HOST_ARCH);
  const runtime = runtimeLibraries(platform);
  expect(elfProblems('/opt/python/cv2/cv2.so (layer Cv)', info, { platform, provided: runtime })).toEqual([
    '/opt/python/cv2/cv2.so (layer Cv): needs libGL.so.1, which neither the function, its layers nor the python3.12 runtime provides'
  ]);
  expect(elfProblems('x.so', info, { platform, provided: new Set([...runtime, 'libGL.so.1']) })).toEqual([]);
  expect(elfProblems('x.so', info, { platform })).toEqual([]);
});

test('the aarch64 machine number is read as such (the same module with e_machine patched to EM_AARCH64)', async () => {
  const bytes = await nativeModule(dir, 'speedups');
  bytes.writeUInt16LE(EM_AARCH64, 18);
  const platform = platformFor('python3.12', 'arm64');
  expect(parseElf(bytes).machine).toBe(EM_AARCH64);
  expect(elfProblems('x.so', parseElf(bytes), { platform })).toEqual([]);
});

test('a truncated or foreign file is an ElfError, never a crash', async () => {
  const bytes = await nativeModule(dir, 'speedups');
  expect(() => parseElf(Buffer.from('not an elf'))).toThrow(new ElfError('not an ELF file'));
  expect(() => parseElf(bytes.subarray(0, 200))).toThrow(ElfError);
  const badClass = Buffer.from(bytes);
  badClass[4] = 9;
  expect(() => parseElf(badClass)).toThrow('unknown ELF class 9');
});
