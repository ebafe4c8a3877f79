import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app-model.js';
import { readAppFiles, type AppFiles } from './app-files.js';
import { parseTemplate, type ParsedTemplate } from './cfn-yaml.js';
import { discoverApp } from './discover.js';
import { loadConfig, type FileConfig } from '../settings/config-file.js';
import { errorMessage, InputError, type SourceLocation } from '../shared/errors.js';
import { pseudoParameters } from './parameters.js';
import { readSamConfig } from './samconfig.js';
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

/**
 * Reads and discovers the template alone. Parameters come from the overrides, else samconfig.toml next to the
 * template, else their Defaults; nested applications' local templates are read as discovery reaches them.
 */
export async function readTemplateApp(settings: Settings, env: NodeJS.ProcessEnv): Promise<{ app: App; parsed: ParsedTemplate }> {
  const parsed = parseTemplate(await readTemplate(settings.templateFile), settings.templateFile);
  const samConfig = await readSamConfig(path.dirname(settings.templateFile));
  const overrides = settings.parameterOverrides ?? samConfig?.parameterOverrides ?? {};
  const readChild = (file: string, where: SourceLocation) => {
    try {
      return parseTemplate(readFileSync(file, 'utf8'), file);
    } catch (error) {
      if (error instanceof InputError) throw error;
      const cause = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `unreadable (${errorMessage(error)})`;
      throw new InputError(`nested application template ${path.relative(settings.workingDirectory, file)} ${cause}`, where);
    }
  };
  const app = discoverApp(parsed, settings.templateFile, settings.workingDirectory, {
    overrides,
    pseudo: pseudoParameters({ overrides, region: samConfig?.region, stackName: samConfig?.stackName }, env),
    readChild
  });
  return { app, parsed };
}

/**
 * Reads and validates the template, the config file and the files they name; bad input fails here, before anything
 * is written. `reads` picks the functions whose code is read.
 */
export async function loadApp(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  reads: (fn: App['functions'][number]) => boolean = () => true
): Promise<LoadedApp> {
  const { app, parsed } = await readTemplateApp(settings, env);
  const config = await loadConfig(settings.configFile);
  // A matrix job reads only the code of the functions it checks: another job's function cannot fail it.
  const files = await readAppFiles({ ...app, functions: app.functions.filter(reads) }, new Set([settings.outDir, settings.cacheDir]));
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
