import { readFile } from 'node:fs/promises';
import type { App } from './app-model.js';
import { readAppFiles, type AppFiles } from './app-files.js';
import { parseTemplate } from './cfn-yaml.js';
import { discoverApp } from './discover.js';
import { loadConfig, type FileConfig } from '../settings/config-file.js';
import { InputError } from '../shared/errors.js';
import type { Settings } from '../settings/settings.js';

/** Everything a build reads from the repository, read once by the command and handed to each stage. */
export interface LoadedApp {
  app: App;
  config: FileConfig;
  files: AppFiles;
  /** The template line of each resource, for annotations. */
  resourceLines: ReadonlyMap<string, number>;
}

async function readTemplate(templateFile: string): Promise<string> {
  return readFile(templateFile, 'utf8').catch(() => {
    throw new InputError('template not found', { file: templateFile });
  });
}

/** Reads and validates the template, the config file and the files they name; bad input fails here, before anything is written. */
export async function loadApp(settings: Settings): Promise<LoadedApp> {
  const parsed = parseTemplate(await readTemplate(settings.templateFile), settings.templateFile);
  const app = discoverApp(parsed, settings.templateFile, settings.workingDirectory);
  const config = await loadConfig(settings.configFile);
  const files = await readAppFiles(app, new Set([settings.outDir, settings.cacheDir]));
  return { app, config, files, resourceLines: parsed.resourceLines };
}

/** Resource lines for a report built elsewhere (merge, comment): none when the template cannot be read here. */
export async function readResourceLines(templateFile: string): Promise<ReadonlyMap<string, number>> {
  try {
    return parseTemplate(await readTemplate(templateFile), templateFile).resourceLines;
  } catch {
    return new Map();
  }
}
