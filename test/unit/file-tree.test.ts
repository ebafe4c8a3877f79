import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { linkTrees, listTree } from '../../src/artifact/file-tree.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-tree-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

async function tree(name: string, files: Record<string, string>, links: Record<string, string> = {}): Promise<string> {
  const root = path.join(base, name);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  for (const [rel, target] of Object.entries(links)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await symlink(target, path.join(root, rel));
  }
  return root;
}

test('a symlink out of the tree is refused for what will be zipped, and kept where asked (a tree extracted from a zip)', async () => {
  const root = await tree('t', { 'a.txt': 'a' }, { 'lib/host.so': '/usr/lib/host.so' });
  await expect(listTree(root)).rejects.toThrow('symlink lib/host.so points outside its folder (to /usr/lib/host.so)');
  expect(await listTree(root, { outsideLinks: true })).toEqual([
    { path: 'a.txt', size: 1, executable: false },
    { path: 'lib/host.so', size: '/usr/lib/host.so'.length, executable: false, linkTarget: '/usr/lib/host.so' }
  ]);
});

test("linkTrees: later trees over earlier ones, links kept as links, the trees' files shared (hard links)", async () => {
  const first = await tree('first', { 'python/shared.py': 'first', 'python/only_first.py': 'x' }, { 'python/lib.so': 'lib.so.1' });
  const second = await tree('second', { 'python/shared.py': 'second' });
  const dest = path.join(base, 'opt');
  await linkTrees([first, second], dest);
  expect(await readFile(path.join(dest, 'python/shared.py'), 'utf8')).toBe('second');
  expect(await readFile(path.join(dest, 'python/only_first.py'), 'utf8')).toBe('x');
  expect(await readlink(path.join(dest, 'python/lib.so'))).toBe('lib.so.1');
  expect((await lstat(path.join(dest, 'python/shared.py'))).ino).toBe((await lstat(path.join(second, 'python/shared.py'))).ino);
  // The earlier tree is untouched.
  expect(await readFile(path.join(first, 'python/shared.py'), 'utf8')).toBe('first');
});
