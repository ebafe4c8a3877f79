import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { listTree } from '../../src/artifact/file-tree.js';
import { writeZip } from '../../src/artifact/zip.js';
import { extractZip, zipModes } from '../../src/artifact/zip-extract.js';

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
  expect(zipModes(await readFile(first)).get('lib.so')! >>> 12).toBe(0o12);
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
