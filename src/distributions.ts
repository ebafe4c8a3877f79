import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TreeEntry } from './file-tree.js';
import type { PackageSize } from './limits.js';
import { normalizeName } from './requirements.js';

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
    .map((line) => (line.startsWith('"') ? line.slice(1, line.indexOf('"', 1)) : line.slice(0, line.indexOf(','))));
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
  const owner = new Map<string, Distribution>();
  for (const dist of dists) {
    for (const file of dist.files) owner.set(sitePrefix + file, dist);
    owner.set(`${sitePrefix}${dist.distInfo}/RECORD`, dist);
  }
  const sizes = new Map<string, PackageSize>();
  for (const entry of entries) {
    const dist = owner.get(entry.path) ?? dists.find((d) => entry.path.startsWith(`${sitePrefix}${d.distInfo}/`));
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

/** Removes a distribution installed with pip --target: its recorded files, then its metadata. */
export async function removeDistribution(siteDir: string, dist: Distribution): Promise<void> {
  for (const file of dist.files) {
    const full = path.resolve(siteDir, file);
    if (full.startsWith(siteDir + path.sep)) await rm(full, { force: true });
  }
  await rm(path.join(siteDir, dist.distInfo), { recursive: true, force: true });
}
