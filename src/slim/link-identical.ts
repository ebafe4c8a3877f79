import { createHash } from 'node:crypto';
import { readFile, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { TreeEntry } from '../artifact/file-tree.js';

// Below this, hashing costs more than a link saves.
const MIN_BYTES = 64 * 1024;

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

export interface LowerSite {
  layer: string;
  siteDir: string;
  entries: readonly TreeEntry[];
}

export interface LinkedFile {
  path: string;
  bytes: number;
  rule: string;
  /** Set when the file now links to the lower layer's copy at another path. */
  linkTarget?: string;
}

/**
 * Files that a layer below (in every stack) already ships byte for byte, as vendored libraries
 * often are (libgfortran in numpy.libs and scipy.libs): the same path is dropped, since /opt
 * already has it; another path becomes a relative link into the merged /opt/python.
 */
export async function linkIdentical(siteDir: string, entries: readonly TreeEntry[], lowers: readonly LowerSite[]): Promise<LinkedFile[]> {
  const bySize = new Map<number, Array<{ lower: LowerSite; entry: TreeEntry }>>();
  for (const lower of lowers) {
    for (const entry of lower.entries) {
      if (entry.linkTarget !== undefined || entry.size < MIN_BYTES) continue;
      bySize.set(entry.size, [...(bySize.get(entry.size) ?? []), { lower, entry }]);
    }
  }
  const linked: LinkedFile[] = [];
  for (const entry of entries) {
    const candidates = entry.linkTarget === undefined ? bySize.get(entry.size) : undefined;
    if (!candidates) continue;
    const hash = await sha256(path.join(siteDir, entry.path));
    for (const { lower, entry: twin } of candidates) {
      if ((await sha256(path.join(lower.siteDir, twin.path))) !== hash) continue;
      await rm(path.join(siteDir, entry.path));
      if (twin.path === entry.path) {
        linked.push({ path: entry.path, bytes: entry.size, rule: `identical-in:${lower.layer}` });
      } else {
        const target = path.posix.relative(path.posix.dirname(entry.path), twin.path);
        await symlink(target, path.join(siteDir, entry.path));
        linked.push({
          path: entry.path,
          bytes: entry.size - Buffer.byteLength(target),
          rule: `linked-to:${lower.layer}`,
          linkTarget: target
        });
      }
      break;
    }
  }
  return linked;
}
