import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app-model.js';
import { InputError, type SourceLocation } from '../shared/errors.js';
import { listTree, type TreeEntry } from '../artifact/file-tree.js';
import { isInside } from '../shared/paths.js';

/** The files the plan reads, already loaded: requirements texts by absolute path. */
export type FileTexts = ReadonlyMap<string, string>;

export interface AppFiles {
  texts: FileTexts;
  /** Each function's code folder, listed once and checked for escaping symlinks. */
  code: ReadonlyMap<string, TreeEntry[]>;
}

const SKIPPED_IN_CODE = new Set(['__pycache__', '.git', '.aws-sam', '.venv', 'node_modules']);

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
  for (const layer of app.layers) {
    await checkFolder(layer.contentDir, app.rootDir, 'ContentUri', layer.location);
    await listTree(layer.contentDir, { excludePaths });
    const text = await readText(layer.requirementsFile);
    if (text === undefined) {
      throw new InputError(
        `layer ${layer.name} has no requirements.txt in ${path.relative(app.rootDir, layer.contentDir)}`,
        layer.location
      );
    }
    texts.set(layer.requirementsFile, text);
  }
  const code = new Map<string, TreeEntry[]>();
  for (const fn of app.functions) {
    await checkFolder(fn.codeDir, app.rootDir, 'CodeUri', fn.location);
    const entries = await listTree(fn.codeDir, { excludeNames: SKIPPED_IN_CODE, excludePaths });
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
  return { texts, code };
}
