import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyRecording, copyVerified, DamagedEntry, hashFile, parseManifest, sha256, type ManifestFile } from './entry-manifest.js';
import { errorMessage } from '../shared/errors.js';
import { isObject } from '../shared/json.js';
import { removedAfter } from '../shared/interrupt.js';
import { alive } from '../shared/pids.js';

/** What one cache entry holds, all optional but the record: a folder, named files beside it (a layer's zip). */
export interface EntryPaths {
  tree?: string;
  files?: Record<string, string>;
}

/** A cached build: what the build recorded about itself (slimming log, sizes). */
export interface CacheHit {
  meta: unknown;
}

/**
 * Builds by key. A restore serves only what matches the entry's manifest: a damaged entry throws
 * (its message names the entry), and callers warn, build instead and save over it. A cache failure
 * must never fail a build.
 */
export interface BuildCache {
  /** Fills the given paths from the cache; undefined on a miss. */
  restore(key: string, paths: EntryPaths): Promise<CacheHit | undefined>;
  save(key: string, paths: EntryPaths, meta: unknown): Promise<void>;
}

/** A `.partial-<pid>` entry whose process is gone, or this old, was left by a killed build. */
const STALE_PARTIAL_MS = 30 * 60 * 1000;
const PARTIAL = /\.partial-(\d+)(-old)?$/;

/**
 * The CLI's cache (by default in ~/.cache/lambda-layers). Per key: the folder under tree/, named files
 * under files/, the build's record in meta.json, and manifest.json, written last, listing every byte.
 */
export class FolderCache implements BuildCache {
  private cleaned?: Promise<void>;

  /** `nameOf` names an entry in messages (the Actions cache's key for its staged entries). */
  constructor(
    private readonly root: string,
    private readonly nameOf: (key: string) => string = (key) => path.join(root, key)
  ) {}

  async restore(key: string, paths: EntryPaths): Promise<CacheHit | undefined> {
    await this.cleanStalePartials();
    const entry = path.join(this.root, key);
    const found = await lstat(entry).catch(() => undefined);
    if (!found) return undefined;
    try {
      if (!found.isDirectory()) throw new DamagedEntry('it is not a folder');
      const manifest = parseManifest(await readFile(path.join(entry, 'manifest.json'), 'utf8'));
      const metaBytes = await readFile(path.join(entry, 'meta.json'));
      if (sha256(metaBytes) !== manifest.meta) throw new DamagedEntry('meta.json differs from its recorded sha256');
      const meta: unknown = JSON.parse(metaBytes.toString('utf8'));
      if (!isObject(meta)) throw new DamagedEntry('meta.json is not a record');
      if (paths.tree) {
        if (!manifest.tree) throw new DamagedEntry('it has no folder');
        await rm(paths.tree, { recursive: true, force: true });
        await copyVerified(path.join(entry, 'tree'), paths.tree, manifest.tree);
      }
      for (const [name, target] of Object.entries(paths.files ?? {})) {
        const recorded = manifest.files[name];
        if (!recorded) throw new DamagedEntry(`it has no ${name}`);
        await mkdir(path.dirname(target), { recursive: true });
        await copyFile(path.join(entry, 'files', name), target);
        await checkFile(target, name, recorded);
      }
      return { meta };
    } catch (error) {
      throw new DamagedEntry(`cache entry ${this.nameOf(key)} is damaged or unreadable (${errorMessage(error)})`);
    }
  }

  async save(key: string, paths: EntryPaths, meta: unknown): Promise<void> {
    await this.cleanStalePartials();
    await mkdir(this.root, { recursive: true });
    const entry = path.join(this.root, key);
    const partial = `${entry}.partial-${process.pid}`;
    await removedAfter(partial, async () => {
      await rm(partial, { recursive: true, force: true });
      await mkdir(path.join(partial, 'files'), { recursive: true });
      const tree = paths.tree ? await copyRecording(paths.tree, path.join(partial, 'tree')) : undefined;
      const files: Record<string, ManifestFile> = {};
      for (const [name, source] of Object.entries(paths.files ?? {})) {
        const stored = path.join(partial, 'files', name);
        await copyFile(source, stored);
        files[name] = await hashFile(stored, (await lstat(stored)).size);
      }
      const metaText = JSON.stringify(meta);
      await writeFile(path.join(partial, 'meta.json'), metaText);
      await writeFile(path.join(partial, 'manifest.json'), JSON.stringify({ meta: sha256(metaText), ...(tree ? { tree } : {}), files }));
      await this.publish(partial, entry);
    });
  }

  /** A rename is atomic: a concurrent reader sees a whole entry or none (and a reader of a replaced one, a miss). */
  private async publish(partial: string, entry: string): Promise<void> {
    try {
      await rename(partial, entry);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // An entry is there (damaged, or saved meanwhile by another build): set it aside, then take its place.
      const old = `${partial}-old`;
      await removedAfter(old, async () => {
        await rename(entry, old).catch(() => undefined);
        await rename(partial, entry).catch(() => undefined);
      });
    }
  }

  /** Once per run: removes what killed builds left (their process gone, or older than STALE_PARTIAL_MS). */
  private cleanStalePartials(): Promise<void> {
    this.cleaned ??= (async () => {
      const names = await readdir(this.root).catch(() => []);
      for (const name of names) {
        const pid = Number(PARTIAL.exec(name)?.[1]);
        if (!pid || pid === process.pid) continue;
        const full = path.join(this.root, name);
        const stat = await lstat(full).catch(() => undefined);
        if (stat && (!alive(pid) || Date.now() - stat.mtimeMs > STALE_PARTIAL_MS))
          await rm(full, { recursive: true, force: true }).catch(() => undefined);
      }
    })();
    return this.cleaned;
  }
}

async function checkFile(file: string, name: string, recorded: ManifestFile): Promise<void> {
  const read = await hashFile(file, recorded.size);
  if (read.size !== recorded.size || read.sha256 !== recorded.sha256) throw new DamagedEntry(`${name} differs from its recorded sha256`);
}
