import { mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { ActionsCache, cacheKeyFor, CacheService } from '../../src/cache/actions-cache.js';
import { useInProcessCache } from '../helpers/cache-server.js';

/** The adapter in this process against the local cache service: @actions/cache reads the runner's variables at each call. */
const fx = useInProcessCache('adapter');

async function site(name: string): Promise<string> {
  const dir = path.join(fx.work, name);
  await mkdir(path.join(dir, 'pkg'), { recursive: true });
  await writeFile(path.join(dir, 'pkg/__init__.py'), `NAME = "${name}"\n`);
  await symlink('pkg/__init__.py', path.join(dir, 'link.py'));
  return dir;
}

const KEY = '0123456789abcdef0123456789abcdef';

test('a saved folder comes back with its symlink and its record', async () => {
  const cache = new ActionsCache(new CacheService(fx.logger), fx.logger, path.join(fx.work, 'stage'));
  await cache.save(KEY, { tree: await site('built') }, { removed: ['tests'] });
  const target = path.join(fx.work, 'restored');
  expect(await cache.restore(KEY, { tree: target })).toEqual({ meta: { removed: ['tests'] } });
  expect(await readFile(path.join(target, 'pkg/__init__.py'), 'utf8')).toBe('NAME = "built"\n');
  expect(await readlink(path.join(target, 'link.py'))).toBe('pkg/__init__.py');
  expect(fx.warnings).toEqual([]);
});

test('a second save of the same key (another job got there first) is a quiet no-op', async () => {
  const cache = new ActionsCache(new CacheService(fx.logger), fx.logger, path.join(fx.work, 'stage'));
  const before = fx.server.entries.size;
  await expect(cache.save(KEY, { tree: await site('again') }, {})).resolves.toBeUndefined();
  expect(fx.server.entries.size).toBe(before);
  expect(await cache.restore(KEY, { tree: path.join(fx.work, 'first-wins') })).toEqual({ meta: { removed: ['tests'] } });
});

test('only the exact key is a hit: an entry whose key merely starts with ours is a miss', async () => {
  const cache = new ActionsCache(new CacheService(fx.logger), fx.logger, path.join(fx.work, 'stage'));
  const short = KEY.slice(0, 30);
  // The service matches "…-<short>ab" for a lookup of "…-<short>", by prefix.
  await cache.save(`${short}ab`, { tree: await site('longer') }, {});
  expect(await cache.restore(short, { tree: path.join(fx.work, 'prefix') })).toBeUndefined();
  expect(fx.server.calls.at(-1)).toBe('GetCacheEntryDownloadURL');
  // Not fetched and found wanting (that would warn): no entry of another key is used.
  expect(fx.warnings).toEqual([]);
});

test('a corrupt entry is a miss with a warning, never an error', async () => {
  const cache = new ActionsCache(new CacheService(fx.logger), fx.logger, path.join(fx.work, 'stage'));
  const key = 'f'.repeat(32);
  await cache.save(key, { tree: await site('to-corrupt') }, {});
  const entry = [...fx.server.entries.values()].find((e) => e.key === cacheKeyFor(key));
  entry!.blob = Buffer.from('not a tar archive');
  await expect(cache.restore(key, { tree: path.join(fx.work, 'corrupt') })).resolves.toBeUndefined();
});

/** The entry's tar, decompressed (zstd when the runner has it, else gzip), and a function to store it back. */
function openArchive(blob: Buffer): { tar: Buffer; pack: (tar: Buffer) => Buffer } {
  if (blob[0] === 0x1f && blob[1] === 0x8b) return { tar: gunzipSync(blob), pack: (tar) => gzipSync(tar) };
  const zstd = (args: string[], input: Buffer) => execFileSync('zstd', [...args, '-c'], { input });
  return { tar: zstd(['-d'], blob), pack: (tar) => zstd(['-q'], tar) };
}

test('a restored archive is checked against its manifest: a flipped byte is a miss that names the entry', async () => {
  const cache = new ActionsCache(new CacheService(fx.logger), fx.logger, path.join(fx.work, 'stage'));
  const key = 'e'.repeat(32);
  await cache.save(key, { tree: await site('flipped') }, {});
  const entry = [...fx.server.entries.values()].find((e) => e.key === cacheKeyFor(key))!;
  const { tar, pack } = openArchive(entry.blob!);
  // A tar's checksums cover its headers only: the archive still extracts, with one byte of a file changed.
  const at = tar.indexOf('NAME = "flipped"');
  expect(at).toBeGreaterThan(0);
  tar[at] = 'M'.charCodeAt(0);
  entry.blob = pack(tar);
  const target = path.join(fx.work, 'flipped-out');
  await expect(cache.restore(key, { tree: target })).rejects.toThrow(
    `cache entry ${cacheKeyFor(key)} is damaged or unreadable (pkg/__init__.py differs from its recorded sha256)`
  );
});
