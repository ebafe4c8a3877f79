import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app-model.js';
import { InputError, type SourceLocation } from '../shared/errors.js';
import { listTree, type TreeEntry } from '../artifact/file-tree.js';
import { isInside } from '../shared/paths.js';
import { excludedBySam } from './artifact-source.js';

/** The files the plan reads, already loaded: requirements texts by absolute path. */
export type FileTexts = ReadonlyMap<string, string>;

export interface AppFiles {
  texts: FileTexts;
  /** Each function's code folder, listed once as `sam build` copies it and checked for escaping symlinks. */
  code: ReadonlyMap<string, TreeEntry[]>;
  /** Each layer's folder as `sam build` copies it under python/ (its own modules, data files, requirements.txt). */
  layerCode: ReadonlyMap<string, TreeEntry[]>;
}

async function checkFolder(dir: string, rootDir: string, what: string, where: SourceLocation): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(`${what} ${path.relative(rootDir, dir) || '.'} is not a folder`, where);
  // The written path was checked lexically; a symlinked folder could still lead out.
  if (!isInside(await realpath(rootDir), await realpath(dir)))
    throw new InputError(`${what} ${dir} resolves outside the repository`, where);
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Checks every folder and file the template names and reads what the plan needs; writes nothing. */
export async function readAppFiles(app: App, excludePaths: ReadonlySet<string>): Promise<AppFiles> {
  const texts = new Map<string, string>();
  const layerCode = new Map<string, TreeEntry[]>();
  for (const layer of app.layers) {
    await checkFolder(layer.contentDir, app.rootDir, 'ContentUri', layer.location);
    layerCode.set(layer.name, await listTree(layer.contentDir, { excludeName: excludedBySam, excludePaths }));
    // No requirements.txt: a layer of code only, as `sam build` builds it.
    const text = await readText(layer.requirementsFile);
    if (text !== undefined) texts.set(layer.requirementsFile, text);
  }
  const code = new Map<string, TreeEntry[]>();
  for (const fn of app.functions) {
    await checkFolder(fn.codeDir, app.rootDir, 'CodeUri', fn.location);
    const entries = await listTree(fn.codeDir, { excludeName: excludedBySam, excludePaths });
    const module = fn.handler.slice(0, fn.handler.lastIndexOf('.')).replaceAll('.', '/');
    if (!entries.some((e) => e.path === `${module}.py` || e.path === `${module}/__init__.py`)) {
      throw new InputError(`handler ${fn.handler}: ${module}.py is not in ${path.relative(app.rootDir, fn.codeDir)}`, fn.location);
    }
    code.set(fn.name, entries);
    if (fn.requirementsFile) {
      const text = await readText(fn.requirementsFile);
      if (text !== undefined) texts.set(fn.requirementsFile, text);
    }
  }
  return { texts, code, layerCode };
}
