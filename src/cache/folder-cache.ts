import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  copyRecording,
  copyVerified,
  DamagedEntry,
  filePlacer,
  hashFile,
  parseManifest,
  sha256,
  stampOf,
  type ManifestFile,
  type Stamps,
  type Transfer
} from './entry-manifest.js';
import { replaceAtomically, writeFileAtomically } from '../shared/atomic.js';
import { errorMessage } from '../shared/errors.js';
import { isObject } from '../shared/json.js';
import { removedAfter } from '../shared/interrupt.js';
import { alive } from '../shared/pids.js';

/** What one cache entry holds, all optional but the record: a folder, named files beside it (a layer's zip). */
export interface EntryPaths {
  tree?: string;
  files?: Record<string, string>;
  /**
   * Nothing writes into these paths in place once they are saved or restored (only replaces them whole): they
   * share the cache's bytes through hard links instead of copies, which makes a restore cost a listing, not a
   * copy. Where something does write into them (a function's code goes into its restored folder), leave unset.
   */
  shareBytes?: boolean;
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

/** Beside manifest.json: the stamps of the entry's files when they were last hashed (tree/<path>, files/<name>). */
const STAMPS = 'stamps.json';

/** The stamps file, or none when it is missing or not one (stamps only spare hashing: never trusted for more). */
async function readStamps(entry: string): Promise<Stamps> {
  try {
    const value: unknown = JSON.parse(await readFile(path.join(entry, STAMPS), 'utf8'));
    return isObject(value) && Object.values(value).every((v) => typeof v === 'string') ? (value as Stamps) : {};
  } catch {
    return {};
  }
}

const sameStamps = (a: Stamps, b: Stamps) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([p, s]) => b[p] === s);

/** Keeps only the stamps under `prefix`, without it. */
const under = (stamps: Stamps, prefix: string): Stamps =>
  Object.fromEntries(Object.entries(stamps).flatMap(([p, s]) => (p.startsWith(prefix) ? [[p.slice(prefix.length), s]] : [])));
const withPrefix = (stamps: Stamps, prefix: string): Stamps => Object.fromEntries(Object.entries(stamps).map(([p, s]) => [prefix + p, s]));

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
      const transfer: Transfer = paths.shareBytes ? 'link' : 'copy';
      const stamps = transfer === 'link' ? await readStamps(entry) : {};
      let now: Stamps = {};
      if (paths.tree) {
        if (!manifest.tree) throw new DamagedEntry('it has no folder');
        await rm(paths.tree, { recursive: true, force: true });
        now = withPrefix(
          await copyVerified(path.join(entry, 'tree'), paths.tree, manifest.tree, transfer, under(stamps, 'tree/')),
          'tree/'
        );
      }
      for (const [name, target] of Object.entries(paths.files ?? {})) {
        const recorded = manifest.files[name];
        if (!recorded) throw new DamagedEntry(`it has no ${name}`);
        const stored = path.join(entry, 'files', name);
        const stamp = await stampOf(stored);
        // Linked, the entry's own file is served: checked unless unchanged since it was last hashed.
        if (transfer === 'link' && stamps[`files/${name}`] !== stamp) await checkFile(stored, name, recorded);
        now[`files/${name}`] = stamp;
        const placed = await replaceAtomically(target, (temporary) => filePlacer(transfer)(stored, temporary));
        if (placed === 'copied') await checkFile(target, name, recorded);
      }
      if (transfer === 'link' && !sameStamps(now, stamps)) {
        // Best effort: without it the next restore hashes again.
        await writeFileAtomically(path.join(entry, STAMPS), JSON.stringify(now)).catch(() => undefined);
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
      const transfer: Transfer = paths.shareBytes ? 'link' : 'copy';
      const placed = paths.tree ? await copyRecording(paths.tree, path.join(partial, 'tree'), transfer) : undefined;
      const tree = placed?.nodes;
      const stamps = withPrefix(placed?.stamps ?? {}, 'tree/');
      const files: Record<string, ManifestFile> = {};
      for (const [name, source] of Object.entries(paths.files ?? {})) {
        const stored = path.join(partial, 'files', name);
        await filePlacer(transfer)(source, stored);
        // Stamped before it is hashed: a write in between changes the stamp, and the next restore hashes again.
        stamps[`files/${name}`] = await stampOf(stored);
        files[name] = await hashFile(stored, (await lstat(stored)).size);
      }
      const metaText = JSON.stringify(meta);
      await writeFile(path.join(partial, 'meta.json'), metaText);
      await writeFile(path.join(partial, STAMPS), JSON.stringify(stamps));
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
