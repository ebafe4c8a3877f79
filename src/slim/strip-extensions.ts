import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { readHead } from '../artifact/file-tree.js';
import os from 'node:os';
import path from 'node:path';
import type { Strip, TargetPython } from '../tools/tools.js';
import { withScratchDir } from '../shared/scratch.js';
import { isElf } from '../elf/elf.js';
import { loadChange } from '../elf/elf-integrity.js';

/** Extension modules that may be stripped: never auditwheel's vendored *.libs (patchelf-patched, strip breaks them). */
export function strippable(sitePaths: readonly string[]): string[] {
  return sitePaths.filter((p) => /\.so(\.\d+)*$/.test(p) && !p.split('/').some((s) => s.endsWith('.libs')));
}

export interface StripResult {
  files: number;
  bytesSaved: number;
  /** Files that no longer loaded once stripped, put back as they were. */
  restored: string[];
}

/**
 * Strips symbols the loader does not need from extension modules, then proves each still loads
 * in the target Python; one that does not is restored. Files that did not load before are left alone.
 */
export async function stripExtensions(siteDir: string, files: readonly string[], python: TargetPython, strip: Strip): Promise<StripResult> {
  return withScratchDir(os.tmpdir(), 'lambda-layers-strip-', async (scratch) => {
    const absolute = files.map((f) => path.join(siteDir, f));
    const before = await python.loadFailures(absolute, scratch);
    const candidates = absolute.filter((f) => !(f in before));
    let bytesSaved = 0;
    let stripFailed = 0;
    for (const [i, file] of candidates.entries()) {
      const size = (await stat(file)).size;
      await copyFile(file, path.join(scratch, `${i}.orig`));
      if (await strip.strip(file)) bytesSaved += size - (await stat(file)).size;
      else {
        await copyFile(path.join(scratch, `${i}.orig`), file);
        stripFailed++;
      }
    }
    const after = await python.loadFailures(candidates, scratch);
    const restored: string[] = [];
    for (const [i, file] of candidates.entries()) {
      if (!(file in after)) continue;
      const size = (await stat(file)).size;
      await copyFile(path.join(scratch, `${i}.orig`), file);
      bytesSaved -= (await stat(file)).size - size;
      restored.push(`${path.relative(siteDir, file)}: ${after[file]}`);
    }
    return { files: candidates.length - stripFailed - restored.length, bytesSaved, restored };
  });
}

/**
 * Strips extension modules no interpreter here can load (another CPU): each must keep what the loader maps
 * (loadChange: the program headers and loadable segments, byte for byte), or it is restored as it was.
 * Files that are not ELF are left alone.
 */
export async function stripWithoutLoading(siteDir: string, files: readonly string[], strip: Strip): Promise<StripResult> {
  let bytesSaved = 0;
  let stripped = 0;
  const restored: string[] = [];
  for (const rel of files) {
    const file = path.join(siteDir, rel);
    if (!isElf(await readHead(file, 4))) continue;
    const before = await readFile(file);
    const change = (await strip.strip(file)) ? loadChange(before, await readFile(file)) : 'strip failed';
    if (change) {
      await writeFile(file, before);
      restored.push(`${rel}: ${change}`);
    } else {
      stripped++;
      bytesSaved += before.length - (await stat(file)).size;
    }
  }
  return { files: stripped, bytesSaved, restored };
}
