import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Built folders by build key. A cache failure must never fail a build: callers warn and go on. */
export interface BuildCache {
  /** Fills `dir` from the cache; false on a miss. */
  restore(key: string, dir: string): Promise<boolean>;
  save(key: string, dir: string): Promise<void>;
}

const COPY = { recursive: true, verbatimSymlinks: true, preserveTimestamps: false } as const;

/** The CLI's cache: one folder per key under a root (by default ~/.cache/lambda-layers). */
export class FolderCache implements BuildCache {
  constructor(private readonly root: string) {}

  async restore(key: string, dir: string): Promise<boolean> {
    const entry = path.join(this.root, key);
    if (!(await stat(entry).catch(() => undefined))?.isDirectory()) return false;
    await rm(dir, { recursive: true, force: true });
    await cp(entry, dir, COPY);
    return true;
  }

  async save(key: string, dir: string): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const entry = path.join(this.root, key);
    const partial = `${entry}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(dir, partial, COPY);
    // A rename is atomic: a concurrent reader sees the whole entry or none.
    await rm(entry, { recursive: true, force: true });
    await rename(partial, entry);
  }
}
