import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bytecodeMode } from './config-file.js';
import { InputError } from '../shared/errors.js';
import type { SlimSettings } from './slim-settings.js';
import { INPUT_DEFAULTS, type InputSource } from './inputs.js';
import { parseParameterOverrides } from './parameter-overrides.js';

/** What installs requirements: uv when it gives what pip would (auto), or always pip, or always uv. */
export const INSTALLER_SETTINGS = ['auto', 'pip', 'uv'] as const;
export type InstallerSetting = (typeof INSTALLER_SETTINGS)[number];

/** One typed settings object, parsed from action inputs or CLI flags. All paths absolute. */
export interface Settings {
  workingDirectory: string;
  templateFile: string;
  configFile?: string;
  outDir: string;
  reportFile: string;
  cacheDir: string;
  /** The interpreter that runs pip (any Python 3; wheels are chosen for the target runtime, not for it). */
  python: string;
  installer: InstallerSetting;
  /** Projects that may be built from an sdist, added to the config file's list. */
  allowSdist: string[];
  /** Slimming choices from inputs or flags, over the config file's. */
  slim: Partial<SlimSettings>;
  /** Template layers to build and report (a matrix job's share); empty: all. */
  layers: string[];
  /** Template parameter values (SAM's --parameter-overrides); when given, samconfig.toml's are not read, as in SAM. */
  parameterOverrides?: Record<string, string>;
}

export const DEFAULT_CONFIG_NAME = 'lambda-layers.yaml';

function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'lambda-layers');
}

/** The repository root (which must exist) and the output folder: all that rollback needs. */
export function resolveDirs(inputs: InputSource, cwd: string): Pick<Settings, 'workingDirectory' | 'outDir'> {
  const workingDirectory = path.resolve(cwd, inputs.string('working-directory'));
  if (!existsSync(workingDirectory)) {
    throw new InputError(`working-directory ${workingDirectory} does not exist`);
  }
  return { workingDirectory, outDir: path.resolve(workingDirectory, inputs.string('out')) };
}

/** The build's settings from action inputs or CLI flags; paths relative to working-directory, resolved from `cwd`. */
export function resolveSettings(inputs: InputSource, cwd: string, env: NodeJS.ProcessEnv): Settings {
  const { workingDirectory, outDir } = resolveDirs(inputs, cwd);
  const at = (p: string) => path.resolve(workingDirectory, p);
  const defaultConfig = at(DEFAULT_CONFIG_NAME);
  const [config, report, cacheDir] = [inputs.string('config'), inputs.string('report'), inputs.string('cache-dir')];
  const overrides = inputs.string('parameter-overrides');
  return {
    workingDirectory,
    templateFile: at(inputs.string('template')),
    configFile: config ? at(config) : existsSync(defaultConfig) ? defaultConfig : undefined,
    outDir,
    reportFile: report ? at(report) : path.join(outDir, 'report.json'),
    cacheDir: cacheDir ? at(cacheDir) : defaultCacheDir(env),
    python: inputs.string('python'),
    installer: installerSetting(inputs),
    allowSdist: inputs.list('allow-sdist'),
    slim: slimFromInputs(inputs),
    layers: inputs.list('layers'),
    ...(overrides && { parameterOverrides: parseParameterOverrides(overrides.split('\n'), inputs.label('parameter-overrides')) })
  };
}

/** Empty where the command has no such flag (merge, check): the default then, as for any input not given. */
function installerSetting(inputs: InputSource): InstallerSetting {
  const value = inputs.string('installer') || INPUT_DEFAULTS.installer;
  if (!INSTALLER_SETTINGS.includes(value as InstallerSetting)) {
    throw new InputError(`${inputs.label('installer')} must be one of ${INSTALLER_SETTINGS.join(', ')}, got "${value}"`);
  }
  return value as InstallerSetting;
}

/** Slimming choices given as inputs or flags; what is not given comes from the config file, else the defaults. */
function slimFromInputs(inputs: InputSource): Partial<SlimSettings> {
  const slim: Partial<SlimSettings> = {};
  const enabled = inputs.boolean('slim');
  const strip = inputs.boolean('strip');
  const bytecode = inputs.string('bytecode');
  const [remove, keep] = [inputs.list('slim-remove'), inputs.list('slim-keep')];
  if (enabled !== undefined) slim.enabled = enabled;
  if (strip !== undefined) slim.strip = strip;
  if (bytecode) slim.bytecode = bytecodeMode(bytecode, inputs.label('bytecode'));
  if (remove.length) slim.remove = remove;
  if (keep.length) slim.keep = keep;
  return slim;
}
