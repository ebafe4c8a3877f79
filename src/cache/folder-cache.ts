import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A cached build: its folder, and what the build recorded about itself (the slimming log). */
export interface CacheHit {
  meta: unknown;
}

/** Built folders by build key. A cache failure must never fail a build: callers warn and go on. */
export interface BuildCache {
  /** Fills `dir` from the cache; undefined on a miss. */
  restore(key: string, dir: string): Promise<CacheHit | undefined>;
  save(key: string, dir: string, meta: unknown): Promise<void>;
}

const COPY = { recursive: true, verbatimSymlinks: true, preserveTimestamps: false } as const;

/** The CLI's cache: per key, the folder under tree/ and its record in meta.json (by default in ~/.cache/lambda-layers). */
export class FolderCache implements BuildCache {
  constructor(private readonly root: string) {}

  async restore(key: string, dir: string): Promise<CacheHit | undefined> {
    const entry = path.join(this.root, key);
    if (!(await stat(path.join(entry, 'tree')).catch(() => undefined))?.isDirectory()) return undefined;
    const meta: unknown = JSON.parse(await readFile(path.join(entry, 'meta.json'), 'utf8'));
    await rm(dir, { recursive: true, force: true });
    await cp(path.join(entry, 'tree'), dir, COPY);
    return { meta };
  }

  async save(key: string, dir: string, meta: unknown): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const entry = path.join(this.root, key);
    const partial = `${entry}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(dir, path.join(partial, 'tree'), COPY);
    await writeFile(path.join(partial, 'meta.json'), JSON.stringify(meta));
    // A rename is atomic: a concurrent reader sees the whole entry or none.
    await rm(entry, { recursive: true, force: true });
    await rename(partial, entry);
  }
}
