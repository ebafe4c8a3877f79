import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, lstat, mkdir, readdir, readFile, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isObject } from '../shared/json.js';
import { isInside } from '../shared/paths.js';

/** One node of a cached folder: a file with its bytes' hash, a symlink with its target, or an empty folder. */
export type ManifestNode =
  { path: string; size: number; mode: number; sha256: string } | { path: string; link: string } | { path: string; dir: true };

/** A file kept beside the folder (a layer's zip), by name. */
export interface ManifestFile {
  size: number;
  sha256: string;
}

/** What a cache entry holds, written last: a restore serves nothing that differs from it. */
export interface EntryManifest {
  /** sha256 of meta.json's bytes. */
  meta: string;
  tree?: ManifestNode[];
  files: Record<string, ManifestFile>;
}

/** A cache entry that differs from its manifest, or cannot be read: a miss, never served. */
export class DamagedEntry extends Error {
  override name = 'DamagedEntry';
}

const HEX64 = /^[0-9a-f]{64}$/;
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isRelative = (p: unknown): p is string =>
  typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.split('/').some((s) => s === '' || s === '.' || s === '..');

function isNode(v: unknown): v is ManifestNode {
  if (!isObject(v) || !isRelative(v['path'])) return false;
  if ('link' in v) return typeof v['link'] === 'string';
  if ('dir' in v) return v['dir'] === true;
  return isSize(v['size']) && isSize(v['mode']) && typeof v['sha256'] === 'string' && HEX64.test(v['sha256']);
}

const isFile = (v: unknown): v is ManifestFile =>
  isObject(v) && isSize(v['size']) && typeof v['sha256'] === 'string' && HEX64.test(v['sha256']);

/** The manifest in `text`, or why it is not one. Pure. */
export function parseManifest(text: string): EntryManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DamagedEntry('manifest.json is not JSON');
  }
  if (!isObject(value) || typeof value['meta'] !== 'string' || !HEX64.test(value['meta']))
    throw new DamagedEntry('manifest.json has no meta hash');
  const tree = value['tree'];
  if (tree !== undefined && !(Array.isArray(tree) && tree.every(isNode))) throw new DamagedEntry('manifest.json has a malformed tree');
  const files = value['files'];
  if (!isObject(files) || !Object.values(files).every(isFile)) throw new DamagedEntry('manifest.json has malformed files');
  return { meta: value['meta'], ...(tree ? { tree } : {}), files: files as Record<string, ManifestFile> };
}

/** Hex sha256 of bytes. */
export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

// Small files are hashed from one read; large ones streamed, so a restore's memory stays bounded.
const WHOLE_READ_BYTES = 4 * 1024 * 1024;
// Files copied at once: enough to keep the disk busy on many small files.
const PARALLEL = 8;

/** A file's size and sha256 as read now (`expectedSize` picks one read or a stream). */
export async function hashFile(file: string, expectedSize: number): Promise<{ size: number; sha256: string }> {
  if (expectedSize <= WHOLE_READ_BYTES) {
    const bytes = await readFile(file);
    return { size: bytes.length, sha256: sha256(bytes) };
  }
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    createReadStream(file).on('data', (chunk: string | Buffer) => void (size += chunk.length)),
    hash
  );
  return { size, sha256: hash.digest('hex') };
}

interface Listed {
  path: string;
  kind: 'file' | 'link' | 'dir';
  size: number;
  mode: number;
  /** A file's inode, size and modification time: equal to the one recorded when it was hashed, it was not written since. */
  stamp?: string;
}

/**
 * Files hashed earlier, by path, with the stamp (inode, size, mtime in ns) each had then. Any write changes
 * the mtime (and a replaced file the inode), so a file whose stamp is unchanged need not be hashed again.
 */
export type Stamps = Record<string, string>;

/**
 * How a folder reaches its destination. `copy`: the destination is the caller's to write into. `link`: hard
 * links (one inode, the cache's bytes), for destinations nothing writes into in place; across file systems
 * (EXDEV) or where links are refused, copies.
 */
export type Transfer = 'copy' | 'link';

/** A folder's files, links and empty folders, never following links; anything else (a socket, a device) is refused. */
async function listFolder(root: string): Promise<Listed[]> {
  const top = await lstat(root);
  if (!top.isDirectory()) throw new DamagedEntry(`${path.basename(root)} is not a folder`);
  const listed: Listed[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    const names = await readdir(dir);
    if (names.length === 0 && rel) listed.push({ path: rel, kind: 'dir', size: 0, mode: 0 });
    for (const name of names) {
      const full = path.join(dir, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const stat = await lstat(full, { bigint: true });
      if (stat.isDirectory()) await walk(full, childRel);
      else if (stat.isSymbolicLink()) listed.push({ path: childRel, kind: 'link', size: 0, mode: 0 });
      else if (stat.isFile()) {
        const size = Number(stat.size);
        listed.push({
          path: childRel,
          kind: 'file',
          size,
          mode: Number(stat.mode & 0o7777n),
          stamp: `${stat.ino}:${size}:${stat.mtimeNs}`
        });
      } else throw new DamagedEntry(`${childRel} is neither a file, a folder nor a symlink`);
    }
  }
  await walk(root, '');
  return listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const kindOf = (node: ManifestNode) => ('link' in node ? 'link' : 'dir' in node ? 'dir' : 'file');

/** The first way a listing differs from a manifest's tree (a path missing, added, of another kind, size or mode). Pure. */
export function listingProblem(
  expected: readonly ManifestNode[],
  listed: readonly Pick<Listed, 'path' | 'kind' | 'size' | 'mode'>[]
): string | undefined {
  const byPath = new Map(expected.map((n) => [n.path, n]));
  for (const item of listed) {
    const node = byPath.get(item.path);
    if (!node) return `${item.path} is not in the manifest`;
    if (kindOf(node) !== item.kind) return `${item.path} is a ${item.kind}, the manifest says ${kindOf(node)}`;
    if ('sha256' in node && node.size !== item.size) return `${item.path} has ${item.size} bytes, the manifest says ${node.size}`;
    if ('sha256' in node && node.mode !== item.mode)
      return `${item.path} has mode ${item.mode.toString(8)}, the manifest says ${node.mode.toString(8)}`;
    byPath.delete(item.path);
  }
  const [missing] = byPath.keys();
  return missing === undefined ? undefined : `${missing} is missing`;
}

/** Runs `each` on every item, PARALLEL at a time. */
async function inParallel<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

/** Creates the folders a listing needs, once each, so copies need not. */
async function makeFolders(listed: readonly Listed[], to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const folders = new Set(listed.map((item) => (item.kind === 'dir' ? item.path : path.posix.dirname(item.path))));
  for (const folder of [...folders].sort()) await mkdir(path.join(to, folder), { recursive: true });
}

/** A file's inode, size and mtime now, as listFolder records them. */
export async function stampOf(file: string): Promise<string> {
  const stat = await lstat(file, { bigint: true });
  return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
}

const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP']);

/** Places files by `transfer`, falling back to copies for good once a link is refused (another file system). */
export function filePlacer(transfer: Transfer): (source: string, target: string) => Promise<'linked' | 'copied'> {
  let linking = transfer === 'link';
  return async (source, target) => {
    if (linking) {
      try {
        await link(source, target);
        return 'linked';
      } catch (error) {
        if (!LINK_REFUSED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        linking = false;
      }
    }
    // copyFile keeps the mode.
    await copyFile(source, target);
    return 'copied';
  };
}

type Placer = ReturnType<typeof filePlacer>;

/**
 * Places one listed node from `from` to `to`; returns its manifest node, hashed from what was placed, and a
 * file's stamp, taken before it was hashed (a write in between changes the stamp: the next restore hashes again).
 */
async function copyNode(item: Listed, from: string, to: string, place: Placer): Promise<{ node: ManifestNode; stamp?: string }> {
  const source = path.join(from, item.path);
  const target = path.join(to, item.path);
  if (item.kind === 'dir') return { node: { path: item.path, dir: true } };
  if (item.kind === 'link') {
    const link = await readlink(source);
    // The tree is zipped and extracted: a link must stay inside it, as the build's own listing requires.
    if (path.isAbsolute(link) || !isInside(to, path.resolve(path.dirname(target), link)))
      throw new DamagedEntry(`${item.path} links outside the entry (to ${link})`);
    await symlink(link, target);
    return { node: { path: item.path, link } };
  }
  // What was placed is what gets hashed, so what is hashed is what is served.
  await place(source, target);
  const stamp = await stampOf(target);
  return { node: { path: item.path, mode: item.mode, ...(await hashFile(target, item.size)) }, stamp };
}

/** Places a folder (saving an entry) and returns its manifest, and the stamps of the files as placed. */
export async function copyRecording(from: string, to: string, transfer: Transfer): Promise<{ nodes: ManifestNode[]; stamps: Stamps }> {
  const listed = await listFolder(from);
  await makeFolders(listed, to);
  const place = filePlacer(transfer);
  const nodes: ManifestNode[] = new Array<ManifestNode>(listed.length);
  const stamps: Stamps = {};
  await inParallel(
    listed.map((item, i) => ({ item, i })),
    async ({ item, i }) => {
      const { node, stamp } = await copyNode(item, from, to, place);
      nodes[i] = node;
      if (stamp) stamps[item.path] = stamp;
    }
  );
  return { nodes, stamps };
}

/**
 * Places a cached folder, checking that it and what was placed match the manifest node by node (restoring an
 * entry). Linked, the bytes served are the entry's own: a file is hashed unless its stamp is the one recorded
 * when it was last hashed. Returns the stamps as they are now, for the next restore.
 */
export async function copyVerified(
  from: string,
  to: string,
  manifest: readonly ManifestNode[],
  transfer: Transfer,
  stamps: Readonly<Stamps>
): Promise<Stamps> {
  const listed = await listFolder(from);
  const problem = listingProblem(manifest, listed);
  if (problem) throw new DamagedEntry(problem);
  const expected = new Map(manifest.map((n) => [n.path, n]));
  await makeFolders(listed, to);
  const place = filePlacer(transfer);
  const now: Stamps = {};
  await inParallel(listed, async (item) => {
    const node = expected.get(item.path)!;
    if (item.kind === 'file' && 'sha256' in node && transfer === 'link') {
      const source = path.join(from, item.path);
      if (stamps[item.path] !== item.stamp) {
        const read = await hashFile(source, item.size);
        if (read.sha256 !== node.sha256 || read.size !== node.size) throw new DamagedEntry(`${item.path} differs from its recorded sha256`);
      }
      now[item.path] = item.stamp!;
      const target = path.join(to, item.path);
      if ((await place(source, target)) === 'linked') return;
      // Copied after all (another file system): the copy is checked as any copy is.
      const copied = await hashFile(target, item.size);
      if (copied.sha256 !== node.sha256 || copied.size !== node.size)
        throw new DamagedEntry(`${item.path} differs from its recorded sha256`);
      return;
    }
    const { node: copied } = await copyNode(item, from, to, place);
    if ('link' in node && 'link' in copied && node.link !== copied.link)
      throw new DamagedEntry(`${item.path} links to ${copied.link}, the manifest says ${node.link}`);
    if ('sha256' in node && 'sha256' in copied && (node.sha256 !== copied.sha256 || node.size !== copied.size)) {
      throw new DamagedEntry(`${item.path} differs from its recorded sha256`);
    }
  });
  return now;
}
