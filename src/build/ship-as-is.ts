import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { copyEntries, listTree, type TreeEntry } from '../artifact/file-tree.js';
import type { ArtifactSource } from '../template/artifact-source.js';
import { BuildError, InputError, type SourceLocation } from '../shared/errors.js';
import { isInside } from '../shared/paths.js';
import { withScratchDir } from '../shared/scratch.js';
import type { Make } from '../tools/tools.js';

export interface AsIsArtifact {
  /** The logical ID: a makefile's target is build-<LogicalId>. */
  name: string;
  source: ArtifactSource;
  /** The CodeUri or ContentUri: a folder, or a .zip file. */
  path: string;
  /** The folder's entries (as-is sources). */
  entries: readonly TreeEntry[];
  /** The folder that becomes the artifact, and the zip beside it. */
  root: string;
  zipFile: string;
  workDir: string;
  location: SourceLocation;
  make: Make;
}

/**
 * Lays out an artifact `sam build` does not build with pip: a .zip is unpacked (so functions can be
 * verified against it) and kept as the artifact, byte for byte; a folder is copied as it is; a makefile
 * runs as SAM runs it. Returns whether the zip is already written.
 */
export async function shipAsIs(artifact: AsIsArtifact): Promise<{ zipped: boolean }> {
  const { root } = artifact;
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  switch (artifact.source.kind) {
    case 'zip':
      await unzipInto(artifact.path, root, artifact.location);
      await copyFile(artifact.path, artifact.zipFile);
      return { zipped: true };
    case 'makefile':
      await runMake(artifact);
      return { zipped: false };
    default:
      await copyEntries(artifact.path, artifact.entries, root);
      return { zipped: false };
  }
}

async function unzipInto(zipFile: string, root: string, where: SourceLocation): Promise<void> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(await readFile(zipFile));
  } catch (error) {
    throw new InputError(`${path.basename(zipFile)} is not a readable zip: ${String(error)}`, where);
  }
  for (const [name, data] of Object.entries(files)) {
    const target = path.resolve(root, name);
    if (!isInside(root, target)) throw new InputError(`${path.basename(zipFile)}: entry ${name} points outside the archive`, where);
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
  }
}

// aws-lambda-builders custom_make: the folder is copied to a scratch folder (without .aws-sam and .git),
// then `make --makefile <folder>/Makefile build-<LogicalId>` runs there with ARTIFACTS_DIR set.
async function runMake(artifact: AsIsArtifact): Promise<void> {
  const makefile = path.join(artifact.path, 'Makefile');
  await withScratchDir(artifact.workDir, 'make-', async (scratch) => {
    const entries = await listTree(artifact.path, { excludeName: (name) => name === '.aws-sam' || name === '.git' });
    if (!entries.some((e) => e.path === 'Makefile'))
      throw new InputError(`BuildMethod makefile: no Makefile in ${artifact.path}`, artifact.location);
    await copyEntries(artifact.path, entries, scratch);
    const result = await artifact.make.run(makefile, `build-${artifact.name}`, scratch, artifact.root);
    if (!result.ok) {
      const output = result.output.trim().split('\n').slice(-8).join('\n');
      throw new BuildError(`${artifact.name}: make build-${artifact.name} failed:\n${output}`, { file: makefile });
    }
  });
}
