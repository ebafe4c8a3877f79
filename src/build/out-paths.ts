import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { LOGICAL_ID } from '../lambda/names.js';
import type { App } from '../template/app-model.js';
import { BuildError, InputError } from '../shared/errors.js';
import { isInside } from '../shared/paths.js';

/** Where one artifact lives under the output folder: its folder, its zip, its build record. */
export interface ArtifactPaths {
  root: string;
  zip: string;
  record: string;
}

/**
 * The one place output paths are made. Names are data: a logical ID (nested ones `Child/Fn`) becomes
 * folders segment by segment, each segment a checked logical ID, and the result must stay inside the folder.
 */
export function outPath(outDir: string, kind: 'layers' | 'functions', name: string): ArtifactPaths {
  const segments = name.split('/');
  if (!segments.every((s) => LOGICAL_ID.test(s))) {
    throw new BuildError(`${JSON.stringify(name)} is not a logical ID: it cannot name a folder under ${outDir}`);
  }
  const root = path.resolve(outDir, kind, ...segments);
  if (!isInside(outDir, root) || root === outDir) throw new BuildError(`${JSON.stringify(name)} leads outside ${outDir}`);
  return { root, zip: `${root}.zip`, record: `${root}.build.json` };
}

/** The scratch folder a build removes when it ends. */
export const workDirOf = (outDir: string) => path.join(outDir, '.work');

/** A path with symlinks resolved as far as it exists (the output folder may not exist yet). */
function resolved(target: string): string {
  const missing: string[] = [];
  let at = path.resolve(target);
  while (!existsSync(at) && path.dirname(at) !== at) {
    missing.unshift(path.basename(at));
    at = path.dirname(at);
  }
  return path.join(realpathSync(at), ...missing);
}

/**
 * Refuses an output or cache folder that equals or contains the template's folder, a CodeUri or a ContentUri:
 * a build there would overwrite or delete sources. A folder inside a CodeUri (`CodeUri: .`) is fine: listings
 * leave it out.
 */
export function checkOutputFolders(app: App, folders: ReadonlyArray<{ label: string; dir: string }>): void {
  const sources = [
    { what: 'the template folder', dir: path.dirname(app.templateFile) },
    ...app.layers.map((l) => ({ what: `ContentUri ${l.contentDir} of layer ${l.name}`, dir: l.contentDir })),
    ...app.functions.map((f) => ({ what: `CodeUri ${f.codeDir} of function ${f.name}`, dir: f.codeDir }))
  ];
  for (const { label, dir } of folders) {
    const real = resolved(dir);
    for (const source of sources) {
      if (!isInside(real, resolved(source.dir))) continue;
      throw new InputError(
        `${label} ${dir} ${real === resolved(source.dir) ? 'is' : 'contains'} ${source.what}: a build there would overwrite or delete sources; choose a folder outside them`
      );
    }
  }
}
