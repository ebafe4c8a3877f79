import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TreeEntry } from './file-tree.js';
import type { PackageSize } from '../lambda/limits.js';
import { normalizeName } from '../shared/package-names.js';

/** An installed distribution, read from its .dist-info folder. */
export interface Distribution {
  name: string; // normalized
  version: string;
  distInfo: string; // folder name, relative to the site folder
  /** Files the distribution installed (RECORD), relative to the site folder. */
  files: string[];
}

function header(metadata: string, field: string): string | undefined {
  const match = new RegExp(`^${field}:\\s*(.+)$`, 'mi').exec(metadata);
  return match?.[1]?.trim();
}

/** RECORD is CSV; paths with commas are quoted. Only the first column matters here. */
function recordPaths(record: string): string[] {
  return record
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      // A quoted field doubles the quotes inside it (CSV).
      const quoted = /^"((?:[^"]|"")*)"/.exec(line);
      return quoted ? (quoted[1] ?? '').replaceAll('""', '"') : line.slice(0, line.indexOf(','));
    });
}

/** Reads every distribution installed in a site folder (pip --target layout). */
export async function readDistributions(siteDir: string): Promise<Distribution[]> {
  let names: string[];
  try {
    names = await readdir(siteDir);
  } catch {
    return [];
  }
  const dists: Distribution[] = [];
  for (const distInfo of names.filter((n) => n.endsWith('.dist-info')).sort()) {
    const dir = path.join(siteDir, distInfo);
    const metadata = await readFile(path.join(dir, 'METADATA'), 'utf8').catch(() => '');
    const record = await readFile(path.join(dir, 'RECORD'), 'utf8').catch(() => '');
    const name = header(metadata, 'Name');
    if (!name) continue;
    const files = recordPaths(record).map((p) => path.posix.normalize(p));
    dists.push({ name: normalizeName(name), version: header(metadata, 'Version') ?? '', distInfo, files });
  }
  return dists;
}

/** Which distribution installed a path (relative to the tree, whose site folder is `sitePrefix`). */
export function ownership(dists: readonly Distribution[], sitePrefix: string): (path: string) => Distribution | undefined {
  const owner = new Map<string, Distribution>();
  for (const dist of dists) {
    for (const file of dist.files) owner.set(sitePrefix + file, dist);
  }
  return (file) => owner.get(file) ?? dists.find((d) => file.startsWith(`${sitePrefix}${d.distInfo}/`));
}

/**
 * Bytes per distribution of a tree whose site folder is `sitePrefix` ('' or 'python/').
 * Files no distribution claims are summed under `unclaimedLabel`, when given.
 */
export function packageSizes(
  entries: readonly TreeEntry[],
  dists: readonly Distribution[],
  sitePrefix: string,
  unclaimedLabel?: string
): PackageSize[] {
  const ownerOf = ownership(dists, sitePrefix);
  const sizes = new Map<string, PackageSize>();
  for (const entry of entries) {
    const dist = ownerOf(entry.path);
    const key = dist ? dist.name : unclaimedLabel;
    if (key === undefined) continue;
    const size = sizes.get(key) ?? { name: key, version: dist?.version ?? '', bytes: 0 };
    size.bytes += entry.size;
    sizes.set(key, size);
  }
  return [...sizes.values()].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

export interface LayerDistributions {
  layer: string;
  dists: Distribution[];
}

/**
 * What a function sees in /opt: Lambda extracts its layers in order, later files over earlier
 * ones, so the last layer's version of a distribution wins, and two versions mix file by file.
 */
export function overlayDistributions(stack: readonly LayerDistributions[]): { effective: Distribution[]; conflicts: string[] } {
  const seen = new Map<string, { dist: Distribution; layer: string }>();
  const conflicts: string[] = [];
  for (const { layer, dists } of stack) {
    for (const dist of dists) {
      const earlier = seen.get(dist.name);
      if (earlier && earlier.dist.version !== dist.version) {
        conflicts.push(
          `layers ${earlier.layer} and ${layer} install different versions of ${dist.name} (${earlier.dist.version}, ${dist.version}): ` +
            'both are extracted into /opt and their files mix; pin one version in both'
        );
      }
      seen.set(dist.name, { dist, layer });
    }
  }
  return { effective: [...seen.values()].map((v) => v.dist), conflicts };
}

/**
 * Rewrites each RECORD to list the files that ship (a sourceless .py as its .pyc), without hashes
 * that stripping and compiling made stale: importlib.metadata.files() stays truthful, and sizes
 * stay attributable to their distribution.
 */
export async function rewriteRecords(siteDir: string, dists: readonly Distribution[], exists: (path: string) => boolean): Promise<void> {
  for (const dist of dists) {
    const record = `${dist.distInfo}/RECORD`;
    const shipped = dist.files
      .filter((f) => f !== record)
      .map((f) => (exists(f) ? f : f.endsWith('.py') && exists(`${f}c`) ? `${f}c` : undefined))
      .filter((f): f is string => f !== undefined);
    const lines = [...shipped, record].map((f) => (/[",\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f) + ',,');
    await writeFile(path.join(siteDir, record), lines.join('\n') + '\n');
  }
}
