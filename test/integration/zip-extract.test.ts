import { spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { listTree } from '../../src/artifact/file-tree.js';
import { writeZip } from '../../src/artifact/zip.js';
import { extractZip, zipEntries } from '../../src/artifact/zip-extract.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-extract-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

test('a built zip extracts with its permissions and symlinks; a later zip replaces files of an earlier one', async () => {
  const root = path.join(base, 'root');
  await mkdir(path.join(root, 'bin'), { recursive: true });
  await writeFile(path.join(root, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o755 });
  await writeFile(path.join(root, 'lib.so.1'), 'elf');
  await symlink('lib.so.1', path.join(root, 'lib.so'));
  const first = path.join(base, 'first.zip');
  await writeZip(root, await listTree(root), first);
  const second = path.join(base, 'second.zip');
  await writeFile(second, zipSync({ 'lib.so.1': new TextEncoder().encode('newer') }));

  const dest = path.join(base, 'opt');
  await extractZip(first, dest);
  await extractZip(second, dest);
  expect((await lstat(path.join(dest, 'bin', 'tool'))).mode & 0o777).toBe(0o755);
  expect(await readlink(path.join(dest, 'lib.so'))).toBe('lib.so.1');
  expect(await readFile(path.join(dest, 'lib.so'), 'utf8')).toBe('newer');
  expect(zipEntries(await readFile(first)).find((e) => e.name === 'lib.so')!.mode >>> 12).toBe(0o12);
});

test('an entry that would leave the folder is refused, naming the zip and the entry', async () => {
  const zip = path.join(base, 'evil.zip');
  await writeFile(zip, zipSync({ '../outside.py': new TextEncoder().encode('x') }));
  await expect(extractZip(zip, path.join(base, 'dest'))).rejects.toThrow(
    `${zip}: the entry "../outside.py" would be extracted outside its folder`
  );
});

test('not a zip: a clear error', async () => {
  const file = path.join(base, 'not.zip');
  await writeFile(file, 'plain text');
  await expect(extractZip(file, path.join(base, 'dest'))).rejects.toThrow(`${file}: no end of central directory: not a zip`);
});

/** A zip written by Python's zipfile: another producer than ours, with the compression method asked for; "@link:" starts a symlink's target. */
function pythonZip(file: string, entries: Record<string, string>, method: 'ZIP_STORED' | 'ZIP_DEFLATED' | 'ZIP_BZIP2') {
  const script = `import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.${method}) as z:\n    for name, text in json.load(sys.stdin).items():\n        info = zipfile.ZipInfo(name)\n        if text.startswith('@link:'):\n            info.external_attr, text = 0o120777 << 16, text[6:]\n        z.writestr(info, text, zipfile.${method})\n`;
  const result = spawnSync('python3', ['-c', script, file], { input: JSON.stringify(entries), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr || String(result.error));
}

test('zips of another producer, stored and deflated, extract byte for byte; a later file replaces an earlier symlink, never writing through it', async () => {
  const outside = path.join(base, 'outside.txt');
  await writeFile(outside, 'untouched');
  const first = path.join(base, 'first.zip');
  pythonZip(first, { 'config.txt': `@link:${outside}` }, 'ZIP_STORED');
  const stored = path.join(base, 'stored.zip');
  pythonZip(stored, { 'config.txt': 'mine', 'pkg/empty.py': '' }, 'ZIP_STORED');
  const deflated = path.join(base, 'deflated.zip');
  const big = 'row,value\n'.repeat(50_000);
  pythonZip(deflated, { 'pkg/data.csv': big }, 'ZIP_DEFLATED');

  const dest = path.join(base, 'opt');
  await extractZip(first, dest);
  expect(await readlink(path.join(dest, 'config.txt'))).toBe(outside);
  for (const zip of [stored, deflated]) await extractZip(zip, dest);
  expect((await lstat(path.join(dest, 'config.txt'))).isFile()).toBe(true);
  expect(await readFile(path.join(dest, 'config.txt'), 'utf8')).toBe('mine');
  expect(await readFile(outside, 'utf8')).toBe('untouched');
  expect(await readFile(path.join(dest, 'pkg/empty.py'), 'utf8')).toBe('');
  expect(await readFile(path.join(dest, 'pkg/data.csv'), 'utf8')).toBe(big);
});

test('a damaged or unreadable entry: an error naming the zip and the entry', async () => {
  const bzip2 = path.join(base, 'bzip2.zip');
  pythonZip(bzip2, { 'app.py': 'x = 1\n' }, 'ZIP_BZIP2');
  await expect(extractZip(bzip2, path.join(base, 'a'))).rejects.toThrow(
    `${bzip2}: app.py: compression method 12 is not one Lambda reads (stored or deflated)`
  );
  const damaged = path.join(base, 'damaged.zip');
  pythonZip(damaged, { 'app.py': 'print("hello")\n'.repeat(100) }, 'ZIP_DEFLATED');
  const bytes = await readFile(damaged);
  bytes.fill(0xff, 40, 60); // inside app.py's deflated data, just after its local header
  await writeFile(damaged, bytes);
  await expect(extractZip(damaged, path.join(base, 'b'))).rejects.toThrow(new RegExp(`^${damaged}: app\\.py: `));
});
