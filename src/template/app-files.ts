import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app-model.js';
import { InputError, type SourceLocation } from '../shared/errors.js';
import { listTree, type TreeEntry } from '../artifact/file-tree.js';
import { isInside } from '../shared/paths.js';
import { excludedBySam, type ArtifactSource } from './artifact-source.js';
import { handlerModule } from '../lambda/handler.js';

/** The files the plan reads, already loaded: requirements texts by absolute path. */
export type FileTexts = ReadonlyMap<string, string>;

export interface AppFiles {
  texts: FileTexts;
  /** Each function's folder, listed once as it ships (as `sam build` copies it) and checked for escaping symlinks. */
  code: ReadonlyMap<string, TreeEntry[]>;
  /** Each layer's folder as it ships: as `sam build` copies it under python/, or as it is for an as-is source. */
  layerCode: ReadonlyMap<string, TreeEntry[]>;
  /** The source of each resource that is not the common build, once its files are seen (by logical ID). */
  sources: ReadonlyMap<string, ArtifactSource>;
  /** What the files made us decide that the user should hear (by logical ID). */
  notes: ReadonlyMap<string, string[]>;
}

async function checkPath(target: string, rootDir: string, what: string, where: SourceLocation, zip: boolean): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  const ok = zip ? info?.isFile() : info?.isDirectory();
  if (!ok) throw new InputError(`${what} ${path.relative(rootDir, target) || '.'} is not a ${zip ? '.zip file' : 'folder'}`, where);
  // The written path was checked lexically; a symlink could still lead out.
  if (!isInside(await realpath(rootDir), await realpath(target)))
    throw new InputError(`${what} ${target} resolves outside the repository`, where);
}

/** A requirements file's text; undefined when there is none. It must be a text file. */
async function readText(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    error.path ??= file; // readFile of a folder (EISDIR) does not say which
    throw error;
  });
  const nul = text?.indexOf('\0') ?? -1;
  if (text !== undefined && nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new InputError('holds a NUL byte: not a text file (saved as UTF-16, or a binary?)', { file, line });
  }
  return text;
}

const exists = async (file: string) => (await stat(file).catch(() => undefined)) !== undefined;

/** What SAM's pip workflow does with a folder that has pyproject.toml and no requirements.txt: installs nothing. */
async function pyprojectNote(dir: string, source: ArtifactSource | undefined): Promise<string[]> {
  if (!(await exists(path.join(dir, 'pyproject.toml')))) return [];
  return source?.kind === 'python-uv'
    ? [
        'pyproject.toml: its dependencies are not installed: BuildMethod python-uv needs uv, which this tool does not run yet; list them in requirements.txt'
      ]
    : ["pyproject.toml: its dependencies are not installed, as sam build's pip workflow reads requirements.txt only; list them there"];
}

/** Checks every folder and file the template names and reads what the plan needs; writes nothing. */
export async function readAppFiles(app: App, excludePaths: ReadonlySet<string>): Promise<AppFiles> {
  const texts = new Map<string, string>();
  const layerCode = new Map<string, TreeEntry[]>();
  const code = new Map<string, TreeEntry[]>();
  const sources = new Map<string, ArtifactSource>();
  const notes = new Map<string, string[]>();
  const note = (name: string, lines: string[]) => lines.length && notes.set(name, [...(notes.get(name) ?? []), ...lines]);

  for (const layer of app.layers) {
    const kind = layer.source?.kind;
    if (layer.source) sources.set(layer.name, layer.source);
    await checkPath(layer.contentDir, app.rootDir, 'ContentUri', layer.location, kind === 'zip');
    if (kind === 'zip' || kind === 'makefile') continue;
    if (kind === 'as-is') {
      layerCode.set(layer.name, await listTree(layer.contentDir, { excludePaths }));
      continue;
    }
    const text = await readText(layer.requirementsFile);
    if (text !== undefined) texts.set(layer.requirementsFile, text);
    else note(layer.name, await pyprojectNote(layer.contentDir, layer.source));
    const entries = await listTree(layer.contentDir, { excludeName: excludedBySam, excludePaths });
    // A folder that already holds python/ and nothing to install is a layer built elsewhere: it ships as it is.
    if (text === undefined && !layer.source && entries.some((e) => e.path.startsWith('python/'))) {
      sources.set(layer.name, { kind: 'as-is', reason: 'a prebuilt python/ folder' });
      layerCode.set(layer.name, await listTree(layer.contentDir, { excludePaths }));
      continue;
    }
    // No requirements.txt: a layer of code only, as `sam build` builds it.
    layerCode.set(layer.name, entries);
  }
  for (const fn of app.functions) {
    const kind = fn.source?.kind;
    if (fn.source) sources.set(fn.name, fn.source);
    await checkPath(fn.codeDir, app.rootDir, 'CodeUri', fn.location, kind === 'zip');
    if (kind === 'zip' || kind === 'makefile') continue;
    const entries = await listTree(fn.codeDir, { excludeName: kind === 'as-is' ? undefined : excludedBySam, excludePaths });
    const module = handlerModule(fn.handler)?.path;
    if (!entries.some((e) => e.path === `${module}.py` || e.path === `${module}/__init__.py`)) {
      throw new InputError(`handler ${fn.handler}: ${module}.py is not in ${path.relative(app.rootDir, fn.codeDir)}`, fn.location);
    }
    code.set(fn.name, entries);
    if (kind === 'as-is' || !fn.requirementsFile) continue;
    const text = await readText(fn.requirementsFile);
    if (text !== undefined) texts.set(fn.requirementsFile, text);
    else note(fn.name, await pyprojectNote(fn.codeDir, fn.source));
  }
  return { texts, code, layerCode, sources, notes };
}
