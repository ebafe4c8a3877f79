import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { InputError } from '../shared/errors.js';
import { isObject, type Json } from '../shared/json.js';
import { parseParameterOverrides } from '../settings/parameter-overrides.js';

/** What lambda-layers takes from SAM's samconfig.toml: the values `sam build` would resolve the template with. */
export interface SamConfig {
  file: string;
  parameterOverrides: Record<string, string>;
  stackName?: string;
  region?: string;
}

export const SAMCONFIG_NAME = 'samconfig.toml';

/**
 * Reads the `default` environment as SAM does for `sam build`: `[default.build.parameters]` over
 * `[default.global.parameters]`; stack_name may also come from `[default.deploy.parameters]`.
 * parameter_overrides is a string of pairs or a list of them. Pure.
 */
export function parseSamConfig(text: string, file: string): SamConfig {
  let data: Json;
  try {
    data = parse(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    throw new InputError(`malformed samconfig.toml: ${(error as Error).message.split('\n')[0]}`, { file, line });
  }
  const env = isObject(data['default']) ? data['default'] : {};
  const section = (command: string): Json => {
    const commandSection = env[command];
    const parameters = isObject(commandSection) ? commandSection['parameters'] : undefined;
    return isObject(parameters) ? parameters : {};
  };
  const [build, global, deploy] = [section('build'), section('global'), section('deploy')];
  const pick = (key: string, ...sections: Json[]): unknown => sections.find((s) => s[key] !== undefined)?.[key];
  const string = (key: string, ...sections: Json[]): string | undefined => {
    const value = pick(key, ...sections);
    if (value === undefined || typeof value === 'string') return value;
    throw new InputError(`samconfig.toml: ${key} must be a string`, { file });
  };
  const overrides = pick('parameter_overrides', build, global);
  const texts = typeof overrides === 'string' ? [overrides] : overrides;
  if (texts !== undefined && !(Array.isArray(texts) && texts.every((t) => typeof t === 'string'))) {
    throw new InputError('samconfig.toml: parameter_overrides must be a string or a list of strings', { file });
  }
  const stackName = string('stack_name', build, global, deploy);
  const region = string('region', build, global);
  return {
    file,
    parameterOverrides: parseParameterOverrides(texts ?? [], 'samconfig.toml parameter_overrides', { file }),
    ...(stackName !== undefined ? { stackName } : {}),
    ...(region !== undefined ? { region } : {})
  };
}

/** samconfig.toml next to the template, when there is one. */
export async function readSamConfig(templateDir: string): Promise<SamConfig | undefined> {
  const file = path.join(templateDir, SAMCONFIG_NAME);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new InputError(`cannot read samconfig.toml: ${error.code ?? error.message}`, { file });
  });
  return text === undefined ? undefined : parseSamConfig(text, file);
}
