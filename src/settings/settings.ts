import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bytecodeMode } from './config-file.js';
import { InputError } from '../shared/errors.js';
import type { SlimSettings } from './slim-settings.js';

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
  /** Projects that may be built from an sdist, added to the config file's list. */
  allowSdist: string[];
  /** Slimming choices from inputs or flags, over the config file's. */
  slim: Partial<SlimSettings>;
  /** Template layers to build and report (a matrix job's share); empty: all. */
  layers: string[];
}

/** Settings as the front doors receive them: strings, maybe empty. */
export interface RawSettings {
  workingDirectory?: string;
  template?: string;
  config?: string;
  out?: string;
  report?: string;
  cacheDir?: string;
  python?: string;
  allowSdist?: string;
  /** "false" builds naive layers (nothing slimmed). */
  slim?: string;
  bytecode?: string;
  strip?: string;
  slimRemove?: string;
  slimKeep?: string;
  layers?: string;
}

export const DEFAULT_CONFIG_NAME = 'lambda-layers.yaml';

function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'lambda-layers');
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function resolveSettings(raw: RawSettings, cwd: string, env: NodeJS.ProcessEnv): Settings {
  const workingDirectory = path.resolve(cwd, raw.workingDirectory || '.');
  if (!existsSync(workingDirectory)) {
    throw new InputError(`working-directory ${workingDirectory} does not exist`);
  }
  const at = (p: string) => path.resolve(workingDirectory, p);
  const outDir = at(raw.out || '.lambda-layers');
  const defaultConfig = at(DEFAULT_CONFIG_NAME);
  return {
    workingDirectory,
    templateFile: at(raw.template || 'template.yaml'),
    configFile: raw.config ? at(raw.config) : existsSync(defaultConfig) ? defaultConfig : undefined,
    outDir,
    reportFile: raw.report ? at(raw.report) : path.join(outDir, 'report.json'),
    cacheDir: raw.cacheDir ? at(raw.cacheDir) : defaultCacheDir(env),
    python: raw.python || 'python3',
    allowSdist: splitList(raw.allowSdist),
    slim: slimFromRaw(raw),
    layers: splitList(raw.layers)
  };
}

function flag(value: string | undefined, name: string): boolean | undefined {
  if (!value) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InputError(`${name} must be true or false, got "${value}"`);
}

function slimFromRaw(raw: RawSettings): Partial<SlimSettings> {
  const slim: Partial<SlimSettings> = {};
  const enabled = flag(raw.slim, 'slim');
  const strip = flag(raw.strip, 'strip');
  if (enabled !== undefined) slim.enabled = enabled;
  if (strip !== undefined) slim.strip = strip;
  if (raw.bytecode) slim.bytecode = bytecodeMode(raw.bytecode, 'bytecode');
  if (raw.slimRemove) slim.remove = splitList(raw.slimRemove);
  if (raw.slimKeep) slim.keep = splitList(raw.slimKeep);
  return slim;
}
