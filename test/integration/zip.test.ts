import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listTree } from '../../src/artifact/file-tree.js';
import { writeZip } from '../../src/artifact/zip.js';
import { run } from '../helpers/sample-app.js';

// Python's zipfile reads back what Lambda's extractor sees: names, modes, links, contents, CRCs.
const READ_BACK = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
print(json.dumps({"bad": bad, "entries": [
  {"name": i.filename, "mode": oct(i.external_attr >> 16), "system": i.create_system, "date": list(i.date_time),
   "method": i.compress_type, "data": z.read(i).decode("latin1")} for i in z.infolist()]}))`;

interface ReadBack {
  bad: string | null;
  entries: Array<{ name: string; mode: string; system: number; date: number[]; method: number; data: string }>;
}

let root: string;
let scratch: string;
const random = randomBytes(40 * 1024).toString('latin1');
const large = 'import os\n'.repeat(20_000);
// Each file deflates with a window no larger than itself: sizes around the window steps.
const SIZES = [1, 511, 512, 513, 4097, 32_768, 70_000];
const text = (bytes: number) => 'abcdefghij'.repeat(Math.ceil(bytes / 10)).slice(0, bytes);

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-zip-'));
  root = path.join(scratch, 'tree');
  await mkdir(path.join(root, 'python/pkg'), { recursive: true });
  await writeFile(path.join(root, 'python/pkg/__init__.py'), 'x = 1\n'.repeat(50));
  await writeFile(path.join(root, 'python/pkg/empty.txt'), '');
  await writeFile(path.join(root, 'python/pkg/random.bin'), Buffer.from(random, 'latin1'));
  await writeFile(path.join(root, 'python/pkg/large.py'), large);
  await writeFile(path.join(root, 'python/pkg/tool'), '#!/bin/sh\n');
  await chmod(path.join(root, 'python/pkg/tool'), 0o775);
  await symlink('large.py', path.join(root, 'python/pkg/link.py'));
  for (const bytes of SIZES) await writeFile(path.join(root, `python/pkg/sized-${bytes}.txt`), text(bytes));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function readBack(zipFile: string): Promise<ReadBack> {
  const result = await run('python3', ['-c', READ_BACK, zipFile], { cwd: scratch, env: process.env });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as ReadBack;
}

test('the zip holds every file with its content, a normalized mode, a fixed date, and links as links', async () => {
  const entries = await listTree(root);
  const zipFile = path.join(scratch, 'a.zip');
  const result = await writeZip(root, entries, zipFile);
  const zip = await readBack(zipFile);
  expect(zip.bad).toBeNull();
  expect(zip.entries.map((e) => e.name)).toEqual(entries.map((e) => e.path));
  const byName = Object.fromEntries(zip.entries.map((e) => [e.name.replace('python/pkg/', ''), e]));
  expect(byName['__init__.py']).toMatchObject({ mode: '0o100644', method: 8, data: 'x = 1\n'.repeat(50) });
  expect(byName['large.py']).toMatchObject({ mode: '0o100644', method: 8, data: large });
  expect(byName['tool']).toMatchObject({ mode: '0o100755', data: '#!/bin/sh\n' });
  expect(byName['link.py']).toMatchObject({ mode: '0o120777', method: 0, data: 'large.py' });
  // Stored, as Info-ZIP does, when deflating would not make the file smaller.
  expect(byName['random.bin']).toMatchObject({ method: 0, data: random });
  expect(byName['empty.txt']).toMatchObject({ method: 0, data: '' });
  for (const bytes of SIZES) expect(byName[`sized-${bytes}.txt`]?.data).toBe(text(bytes));
  for (const entry of zip.entries) {
    expect(entry.system).toBe(3);
    expect(entry.date).toEqual([1980, 1, 1, 0, 0, 0]);
  }
  const bytes = await readFile(zipFile);
  expect(result.zippedBytes).toBe(bytes.length);
});

test('the bytes depend only on the content: the same tree gives the same zip, another level another one', async () => {
  const entries = await listTree(root);
  const first = await writeZip(root, entries, path.join(scratch, 'b1.zip'));
  const second = await writeZip(root, entries, path.join(scratch, 'b2.zip'));
  expect(second.sha256).toBe(first.sha256);
  expect((await readFile(path.join(scratch, 'b1.zip'))).equals(await readFile(path.join(scratch, 'b2.zip')))).toBe(true);
  const stored = await writeZip(root, entries, path.join(scratch, 'b0.zip'), 0);
  expect(stored.sha256).not.toBe(first.sha256);
  expect((await readBack(path.join(scratch, 'b0.zip'))).entries.every((e) => e.method === 0)).toBe(true);
});

test('more files than a zip without zip64 holds is a clear error, before anything is written', async () => {
  const entries = Array.from({ length: 0x10000 }, (_, i) => ({ path: `python/f${i}`, size: 0, executable: false }));
  const zipFile = path.join(scratch, 'too-many.zip');
  await expect(writeZip(root, entries, zipFile)).rejects.toThrow(`${root}: 65536 files, more than a zip without zip64 holds (65535)`);
  await expect(readFile(zipFile)).rejects.toThrow('ENOENT');
});

test('a file that vanished before zipping fails the zip with its path, and leaves no zip behind', async () => {
  const entries = [...(await listTree(root)), { path: 'python/pkg/zz-gone.py', size: 10, executable: false }];
  const zipFile = path.join(scratch, 'gone.zip');
  await expect(writeZip(root, entries, zipFile)).rejects.toThrow('zz-gone.py');
  await expect(readFile(zipFile)).rejects.toThrow('ENOENT');
});
