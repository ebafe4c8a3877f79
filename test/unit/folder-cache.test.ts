import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DamagedEntry } from '../../src/cache/entry-manifest.js';
import { FolderCache, type EntryPaths } from '../../src/cache/folder-cache.js';

/** The local cache on a real folder: what a restore places, and what it shares with the entry. */
let base: string;
let cache: FolderCache;
const KEY = 'f'.repeat(32);
const at = (...parts: string[]) => path.join(base, ...parts);
const inode = async (file: string) => (await stat(file)).ino;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'folder-cache-'));
  cache = new FolderCache(at('cache'));
  await mkdir(at('built', 'pkg'), { recursive: true });
  await writeFile(at('built', 'pkg', '__init__.py'), 'VALUE = 1\n');
  await writeFile(at('built', 'pkg', 'data.bin'), Buffer.alloc(70_000, 7));
  await writeFile(at('built.zip'), 'PK zip bytes');
});
afterEach(() => rm(base, { recursive: true, force: true }));

const paths = (root: string, shareBytes: boolean): EntryPaths => ({
  tree: at(root),
  files: { 'layer.zip': at(`${root}.zip`) },
  shareBytes
});

describe('FolderCache', () => {
  test('shared, a restore hard-links the verified entry (no copy), and says what it checked in stamps.json', async () => {
    await cache.save(KEY, paths('built', true), { n: 1 });
    expect(await cache.restore(KEY, paths('out', true))).toEqual({ meta: { n: 1 } });
    const entry = at('cache', KEY);
    expect(await inode(at('out', 'pkg', 'data.bin'))).toBe(await inode(path.join(entry, 'tree', 'pkg', 'data.bin')));
    expect(await inode(at('out.zip'))).toBe(await inode(path.join(entry, 'files', 'layer.zip')));
    expect(await readFile(at('out', 'pkg', '__init__.py'), 'utf8')).toBe('VALUE = 1\n');
    const stamps = JSON.parse(await readFile(path.join(entry, 'stamps.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(stamps).sort()).toEqual(['files/layer.zip', 'tree/pkg/__init__.py', 'tree/pkg/data.bin']);
  });

  test('shared, a write in place into a restored file reaches the entry: the next restore catches it, never serves it', async () => {
    await cache.save(KEY, paths('built', true), {});
    await cache.restore(KEY, paths('out', true));
    // Same size, other bytes: only the changed stamp (mtime) tells, and then the hash.
    await writeFile(at('out', 'pkg', '__init__.py'), 'VALUE = 2\n');
    await expect(cache.restore(KEY, paths('again', true))).rejects.toThrow(DamagedEntry);
    await expect(cache.restore(KEY, paths('again', true))).rejects.toThrow('pkg/__init__.py differs from its recorded sha256');
  });

  test('shared, replacing a restored file whole (as rebuilds do) leaves the entry sound', async () => {
    await cache.save(KEY, paths('built', true), {});
    await cache.restore(KEY, paths('out', true));
    await rm(at('out'), { recursive: true });
    await mkdir(at('out', 'pkg'), { recursive: true });
    await writeFile(at('out', 'pkg', '__init__.py'), 'VALUE = 3\n');
    await rm(at('out.zip'));
    await writeFile(at('out.zip'), 'other zip');
    expect(await cache.restore(KEY, paths('again', true))).toEqual({ meta: {} });
    expect(await readFile(at('again', 'pkg', '__init__.py'), 'utf8')).toBe('VALUE = 1\n');
  });

  test('not shared, a restore copies: writing into the restored folder leaves the entry sound', async () => {
    await cache.save(KEY, paths('built', false), {});
    await cache.restore(KEY, paths('out', false));
    expect(await inode(at('out', 'pkg', 'data.bin'))).not.toBe(await inode(path.join(at('cache', KEY), 'tree', 'pkg', 'data.bin')));
    await appendFile(at('out', 'pkg', '__init__.py'), 'EXTRA = 1\n');
    await appendFile(at('out.zip'), 'more');
    expect(await cache.restore(KEY, paths('again', false))).toEqual({ meta: {} });
    expect(await readFile(at('again', 'pkg', '__init__.py'), 'utf8')).toBe('VALUE = 1\n');
    expect(await readFile(at('again.zip'), 'utf8')).toBe('PK zip bytes');
  });

  test('stamps that are not a stamps file only cost a hash: the entry is checked in full and served', async () => {
    await cache.save(KEY, paths('built', true), {});
    await writeFile(path.join(at('cache', KEY), 'stamps.json'), '{"tree/pkg/__init__.py": 5}');
    expect(await cache.restore(KEY, paths('out', true))).toEqual({ meta: {} });
  });
});
