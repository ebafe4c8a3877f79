import { copyFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TargetPython } from '../tools/python-finder.js';
import { runCommand } from '../tools/run-command.js';
import { withScratchDir } from '../shared/scratch.js';

/** Extension modules that may be stripped: never auditwheel's vendored *.libs (patchelf-patched, strip breaks them). */
export function strippable(sitePaths: readonly string[]): string[] {
  return sitePaths.filter((p) => /\.so(\.\d+)*$/.test(p) && !p.split('/').some((s) => s.endsWith('.libs')));
}

// dlopen with RTLD_NOW, as an import would: an ELF the loader rejects fails here.
const LOAD_CHECK = `
import ctypes, json, sys
failed = {}
for path in json.load(open(sys.argv[1])):
    try:
        ctypes.CDLL(path)
    except OSError as error:
        failed[path] = str(error)
print(json.dumps(failed))`;

/** Which of the files fail to load in the target Python (path -> loader error). */
async function loadFailures(python: TargetPython, files: readonly string[], scratch: string): Promise<Record<string, string>> {
  const list = path.join(scratch, 'files.json');
  await writeFile(list, JSON.stringify(files));
  const result = await runCommand(python.path, ['-I', '-S', '-c', LOAD_CHECK, list]);
  if (!result.ok) throw new Error(`load check failed: ${result.stderr.trim().split('\n').pop()}`);
  return JSON.parse(result.stdout) as Record<string, string>;
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
export async function stripExtensions(siteDir: string, files: readonly string[], python: TargetPython): Promise<StripResult> {
  return withScratchDir(os.tmpdir(), 'lambda-layers-strip-', async (scratch) => {
    const absolute = files.map((f) => path.join(siteDir, f));
    const before = await loadFailures(python, absolute, scratch);
    const candidates = absolute.filter((f) => !(f in before));
    let bytesSaved = 0;
    for (const [i, file] of candidates.entries()) {
      const size = (await stat(file)).size;
      await copyFile(file, path.join(scratch, `${i}.orig`));
      const stripped = await runCommand('strip', ['--strip-unneeded', file]);
      if (!stripped.ok) await copyFile(path.join(scratch, `${i}.orig`), file);
      else bytesSaved += size - (await stat(file)).size;
    }
    const after = await loadFailures(python, candidates, scratch);
    const restored: string[] = [];
    for (const [i, file] of candidates.entries()) {
      if (!(file in after)) continue;
      const size = (await stat(file)).size;
      await copyFile(path.join(scratch, `${i}.orig`), file);
      bytesSaved -= (await stat(file)).size - size;
      restored.push(`${path.relative(siteDir, file)}: ${after[file]}`);
    }
    return { files: candidates.length - restored.length, bytesSaved, restored };
  });
}

/** "GNU strip (GNU Binutils) 2.40": part of the build key; undefined when strip is not installed. */
export async function stripVersion(): Promise<string | undefined> {
  const result = await runCommand('strip', ['--version']);
  return result.ok ? result.stdout.split('\n')[0]?.trim() : undefined;
}
