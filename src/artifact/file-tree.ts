import { copyFile, lstat, mkdir, open, readdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { InputError } from '../shared/errors.js';
import { isInside } from '../shared/paths.js';

/** A file or symlink of a tree, as it will be zipped. Directories are implied by paths. */
export interface TreeEntry {
  /** POSIX path relative to the tree's root. */
  path: string;
  /** Bytes Lambda counts: the file's size, or a link's target length. */
  size: number;
  executable: boolean;
  /** Set for symlinks: the target as stored in the link. */
  linkTarget?: string;
}

export interface ListOptions {
  /** Folders or files to leave out, by name, wherever they occur (e.g. __pycache__). */
  excludeName?: (name: string) => boolean;
  /** Absolute paths to leave out (e.g. the output folder inside a CodeUri of "."). */
  excludePaths?: ReadonlySet<string>;
}

/**
 * Lists a tree in byte order of path, never following symlinks; a link whose target
 * leaves the tree is refused, since Lambda would extract a link to nothing or to the host.
 */
export async function listTree(root: string, options: ListOptions = {}): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of await readdir(dir)) {
      const full = path.join(dir, name);
      if (options.excludeName?.(name) || options.excludePaths?.has(full)) continue;
      const stat = await lstat(full);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (stat.isSymbolicLink()) {
        const target = await readlink(full);
        if (path.isAbsolute(target) || !isInside(root, path.resolve(dir, target))) {
          throw new InputError(`symlink ${rel} points outside its folder (to ${target})`, { file: full });
        }
        entries.push({ path: rel, size: Buffer.byteLength(target), executable: false, linkTarget: target });
      } else if (stat.isDirectory()) {
        await walk(full);
      } else if (stat.isFile()) {
        entries.push({ path: rel, size: stat.size, executable: (stat.mode & 0o111) !== 0 });
      }
    }
  }
  await walk(root);
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The files a path or glob (relative to `cwd`) names, absolute and sorted: a plain path as given, a glob from a walk of its base. */
export async function filesMatching(pattern: string, cwd: string): Promise<string[]> {
  const absolute = path.resolve(cwd, pattern);
  const scan = picomatch.scan(absolute);
  if (!scan.isGlob) return [absolute];
  const isMatch = picomatch(absolute);
  return (await listTree(scan.base).catch(() => [])).map((e) => path.join(scan.base, e.path)).filter((file) => isMatch(file));
}

export function totalSize(entries: readonly TreeEntry[]): number {
  return entries.reduce((sum, e) => sum + e.size, 0);
}

/** Copies listed entries from one tree into another (over what is there), links as links. */
export async function copyEntries(fromDir: string, entries: readonly TreeEntry[], toDir: string): Promise<void> {
  for (const entry of entries) {
    const target = path.join(toDir, entry.path);
    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    if (entry.linkTarget !== undefined) await symlink(entry.linkTarget, target);
    else await copyFile(path.join(fromDir, entry.path), target);
  }
}

/** The first `count` bytes of a file (fewer when it is shorter): enough to tell its format without reading it all. */
export async function readHead(file: string, count: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(count), 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
