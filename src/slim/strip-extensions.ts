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

/** Files per strip process: one process per file cost more than stripping; a command line stays well short of ARG_MAX. */
const BATCH = 200;

/**
 * Strips files in batches (a process per batch, not per file). A batch strip refuses is redone file by file from
 * the originals `restore` puts back; the files strip refuses alone are put back and returned.
 */
async function stripBatches(strip: Strip, files: readonly string[], restore: (file: string) => Promise<void>): Promise<Set<string>> {
  const refused = new Set<string>();
  for (let at = 0; at < files.length; at += BATCH) {
    const batch = files.slice(at, at + BATCH);
    if (await strip.strip(batch)) continue;
    for (const file of batch) {
      await restore(file);
      if (await strip.strip([file])) continue;
      await restore(file);
      refused.add(file);
    }
  }
  return refused;
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
    const original = new Map(candidates.map((file, i) => [file, path.join(scratch, `${i}.orig`)]));
    const sizes = new Map<string, number>();
    for (const [file, copy] of original) {
      sizes.set(file, (await stat(file)).size);
      await copyFile(file, copy);
    }
    const restore = (file: string) => copyFile(original.get(file)!, file);
    const refused = await stripBatches(strip, candidates, restore);
    const stripped = candidates.filter((f) => !refused.has(f));
    const after = await python.loadFailures(stripped, scratch);
    const restored: string[] = [];
    let bytesSaved = 0;
    for (const file of stripped) {
      if (file in after) {
        await restore(file);
        restored.push(`${path.relative(siteDir, file)}: ${after[file]}`);
      } else bytesSaved += sizes.get(file)! - (await stat(file)).size;
    }
    return { files: stripped.length - restored.length, bytesSaved, restored };
  });
}

/**
 * Strips extension modules no interpreter here can load (another CPU): each must keep what the loader maps
 * (loadChange: the program headers and loadable segments, byte for byte), or it is restored as it was.
 * Files that are not ELF are left alone.
 */
export async function stripWithoutLoading(siteDir: string, files: readonly string[], strip: Strip): Promise<StripResult> {
  const before = new Map<string, Buffer>();
  for (const rel of files) {
    const file = path.join(siteDir, rel);
    if (isElf(await readHead(file, 4))) before.set(file, await readFile(file));
  }
  const restore = (file: string) => writeFile(file, before.get(file)!);
  const refused = await stripBatches(strip, [...before.keys()], restore);
  let bytesSaved = 0;
  let stripped = 0;
  const restored: string[] = [];
  for (const [file, original] of before) {
    const change = refused.has(file) ? 'strip failed' : loadChange(original, await readFile(file));
    if (change) {
      if (!refused.has(file)) await restore(file);
      restored.push(`${path.relative(siteDir, file)}: ${change}`);
    } else {
      stripped++;
      bytesSaved += original.length - (await stat(file)).size;
    }
  }
  return { files: stripped, bytesSaved, restored };
}
