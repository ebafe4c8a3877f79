import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, readlink, rm, symlink } from 'node:fs/promises';
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
  /** Keep symlinks whose target leaves the tree (a tree extracted from someone's zip, laid out as Lambda would). */
  outsideLinks?: boolean;
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
        if (!options.outsideLinks && (path.isAbsolute(target) || !isInside(root, path.resolve(dir, target)))) {
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

/**
 * Lays trees out into one folder as Lambda extracts layers into /opt, later trees over earlier ones: hard links,
 * or copies when the folder is on another file system than the trees (TMPDIR elsewhere: EXDEV).
 */
export async function linkTrees(roots: readonly string[], dest: string): Promise<void> {
  let linking = true;
  const made = new Set<string>();
  for (const root of roots) {
    for (const entry of await listTree(root, { outsideLinks: true })) {
      const source = path.join(root, entry.path);
      const target = path.join(dest, entry.path);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      // A later layer's file replaces an earlier one's; most targets are new, so only then is one removed.
      const place = async (): Promise<void> => {
        if (linking) {
          try {
            return await link(source, target);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'EEXIST') {
              await rm(target, { force: true });
              return await place();
            }
            if (code !== 'EXDEV') throw error;
            linking = false;
          }
        }
        await rm(target, { force: true });
        if (entry.linkTarget !== undefined) await symlink(entry.linkTarget, target);
        else await copyFile(source, target, constants.COPYFILE_FICLONE);
      };
      await place();
    }
  }
}
