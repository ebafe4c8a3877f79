import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadChange } from '../../src/elf/elf-integrity.js';
import { parseElf, PT_LOAD } from '../../src/elf/elf.js';
import { stripWithoutLoading } from '../../src/slim/strip-extensions.js';
import { systemStrip } from '../../src/tools/strip.js';
import type { Strip } from '../../src/tools/tools.js';

/**
 * Stripping modules no interpreter here can load (an arm64 layer on an x86_64 runner): a strip that reads the
 * target's ELF is found on PATH, and each stripped file must keep what the loader maps, or it is restored.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-strip-cross-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const OTHER_ARCH = os.arch() === 'arm64' ? 'x86_64' : 'arm64';

/** A module with symbols and debug info, as wheels often ship them. */
async function moduleWithSymbols(site: string): Promise<string> {
  await mkdir(path.join(site, 'pkg'), { recursive: true });
  const source = path.join(dir, 'speed.c');
  await writeFile(source, 'static int helper(int x) { return x * 2; }\nint PyInit_speed(int x) { return helper(x) + 1; }\n');
  const out = path.join(site, 'pkg/speed.so');
  execFileSync('cc', ['-g', '-shared', '-fPIC', '-o', out, source]);
  return out;
}

function llvmStrip(): string {
  const found = ['/usr/bin/llvm-strip', ...(process.env['PATH'] ?? '').split(':').map((d) => path.join(d, 'llvm-strip'))].find((p) => {
    try {
      execFileSync(p, ['--version']);
      return true;
    } catch {
      return false;
    }
  });
  if (!found) throw new Error('llvm-strip is not installed (apt-get install llvm)');
  return found;
}

/** Programs are looked up on this process's PATH (@actions/exec), so the test sets it, then puts it back. */
async function withPath<T>(dirs: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env['PATH'];
  process.env['PATH'] = dirs;
  try {
    return await run();
  } finally {
    process.env['PATH'] = saved;
  }
}

test(`for ${OTHER_ARCH}, llvm-strip is found on PATH; none there, no strip (binutils' own for this CPU is not taken)`, async () => {
  const bin = path.join(dir, 'bin');
  await mkdir(bin);
  await symlink(llvmStrip(), path.join(bin, 'llvm-strip'));
  const found = await withPath(bin, () => systemStrip(OTHER_ARCH, {}).version());
  expect(found).toMatch(/^llvm-strip: /);
  const system = execFileSync('sh', ['-c', 'command -v strip']).toString().trim();
  const onlyHostStrip = path.join(dir, 'host');
  await mkdir(onlyHostStrip);
  await symlink(system, path.join(onlyHostStrip, 'strip'));
  expect(await withPath(onlyHostStrip, () => systemStrip(OTHER_ARCH, {}).version())).toBeUndefined();
});

test('a module stripped with llvm-strip keeps its program headers and segments, and still loads', async () => {
  const site = path.join(dir, 'site');
  const file = await moduleWithSymbols(site);
  const before = await readFile(file);
  const bin = path.join(dir, 'bin');
  await mkdir(bin);
  await symlink(llvmStrip(), path.join(bin, 'llvm-strip'));
  const result = await withPath(bin, () => stripWithoutLoading(site, ['pkg/speed.so'], systemStrip(OTHER_ARCH, {})));
  const after = await readFile(file);
  expect(result).toEqual({ files: 1, bytesSaved: before.length - after.length, restored: [] });
  expect(after.length).toBeLessThan(before.length);
  expect(loadChange(before, after)).toBeUndefined();
  // The proof the check is right for this one: the loader here takes the stripped module.
  execFileSync('python3', ['-c', 'import ctypes, sys; assert ctypes.CDLL(sys.argv[1]).PyInit_speed(2) == 5', file]);
});

/** A strip that does what is given to the file: the outside tool misbehaving. */
const damaging = (damage: (bytes: Buffer) => void): Strip => ({
  version: () => Promise.resolve('damaging strip 1.0'),
  strip: async (files) => {
    for (const file of files) {
      const bytes = await readFile(file);
      damage(bytes);
      await writeFile(file, bytes);
    }
    return true;
  }
});

test.each<[string, (bytes: Buffer) => void, RegExp]>([
  [
    'moves a segment (its alignment, as strip on patchelf-patched libraries did)',
    (bytes) => {
      const info = parseElf(bytes);
      const phoff = Number(bytes.readBigUInt64LE(32));
      const load = info.programHeaders.findIndex((p) => p.type === PT_LOAD);
      bytes.writeBigUInt64LE(BigInt(0x1000 / 2), phoff + load * 56 + 48);
    },
    /^pkg\/speed\.so: the program headers changed$/
  ],
  [
    'changes code the loader maps',
    (bytes) => {
      const text = parseElf(bytes).programHeaders.filter((p) => p.type === PT_LOAD)[1]!;
      bytes[text.offset + 16] = (bytes[text.offset + 16]! + 1) % 256;
    },
    /^pkg\/speed\.so: the loadable segment at offset 0x[0-9a-f]+ changed$/
  ],
  ['truncates the file', (bytes) => bytes.fill(0, 0, 4), /^pkg\/speed\.so: not a readable ELF file once stripped: not an ELF file$/]
])('a strip that %s: the file is restored as it was, with the reason', async (_what, damage, reason) => {
  const site = path.join(dir, 'site');
  const file = await moduleWithSymbols(site);
  const before = await readFile(file);
  const result = await stripWithoutLoading(site, ['pkg/speed.so'], damaging(damage));
  expect(result.files).toBe(0);
  expect(result.restored).toEqual([expect.stringMatching(reason)]);
  expect((await readFile(file)).equals(before)).toBe(true);
});

test('a file that is not ELF is left alone', async () => {
  const site = path.join(dir, 'site');
  await mkdir(path.join(site, 'pkg'), { recursive: true });
  await writeFile(path.join(site, 'pkg/fake.so'), 'not ELF');
  const result = await stripWithoutLoading(
    site,
    ['pkg/fake.so'],
    damaging(() => {})
  );
  expect(result).toEqual({ files: 0, bytesSaved: 0, restored: [] });
});
