import { copyFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Strip, TargetPython } from '../tools/tools.js';
import { withScratchDir } from '../shared/scratch.js';

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
