import path from 'node:path';
import { packageSizes, readDistributions, type Distribution } from './distributions.js';
import { listTree, totalSize } from './file-tree.js';
import type { PackageSize } from '../lambda/limits.js';
import { writeZip } from './zip.js';
import { readZip, type ZipListing } from './zip-read.js';

/** What a zip measures; part of each layer's and function's report. */
export interface ArtifactSizes {
  unzippedBytes: number;
  zippedBytes: number;
  fileCount: number;
  /** SHA-256 of the zip, hex. */
  sha256: string;
  /** The zip, relative to the output folder. */
  zipFile: string;
  /** Installed distributions, largest first. */
  packages: PackageSize[];
}

export interface ArtifactFolder {
  /** The folder that becomes the zip's root. */
  root: string;
  /** Where pip put the distributions, relative to root, with a trailing slash ('' or 'python/'). */
  sitePrefix: string;
  zipFile: string;
  /** Label for files no distribution installed (a function's own code). */
  unclaimedLabel?: string;
}

export interface Measured {
  sizes: ArtifactSizes;
  /** The distributions installed in the artifact's site folder. */
  dists: Distribution[];
  /** When the zip was read rather than written: what its directory holds. */
  read?: ZipListing;
}

/** Zips a built folder (or, when `zip` is false, reads the zip already there: it must open) and measures both. */
export async function measureArtifact(artifact: ArtifactFolder, outDir: string, zip: boolean): Promise<Measured> {
  const entries = await listTree(artifact.root);
  const dists = await readDistributions(path.join(artifact.root, artifact.sitePrefix));
  const read = zip ? undefined : await readZip(artifact.zipFile);
  const zipped = read ?? (await writeZip(artifact.root, entries, artifact.zipFile));
  const sizes = {
    unzippedBytes: totalSize(entries),
    zippedBytes: zipped.zippedBytes,
    fileCount: entries.length,
    sha256: zipped.sha256,
    zipFile: path.relative(outDir, artifact.zipFile).split(path.sep).join('/'),
    packages: packageSizes(entries, dists, artifact.sitePrefix, artifact.unclaimedLabel)
  };
  return { sizes, dists, ...(read ? { read } : {}) };
}
