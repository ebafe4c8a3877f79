import type { Platform } from '../lambda/platform.js';
import { findTargetPython, type TargetPython } from '../tools/python-finder.js';
import type { SlimSettings } from '../settings/slim-settings.js';
import { stripVersion } from './strip-extensions.js';

/** What slimming needs from this machine: the runtimes' interpreters and strip. Found once per run. */
export interface SlimContext {
  slim: SlimSettings;
  pythonFor: (platform: Platform) => TargetPython | undefined;
  stripInstalled: boolean;
  /** Everything besides the requirements that decides the bytes slimming produces: part of every key. */
  processing: (platform: Platform) => Record<string, unknown>;
}

const platformId = (p: Platform) => `${p.runtime}/${p.architecture}`;

export async function prepareSlimContext(
  platforms: readonly Platform[],
  slim: SlimSettings,
  configured: Record<string, string>,
  env: NodeJS.ProcessEnv
): Promise<SlimContext> {
  const pythons = new Map<string, TargetPython | undefined>();
  for (const platform of platforms) {
    if (!pythons.has(platformId(platform))) pythons.set(platformId(platform), await findTargetPython(platform, configured, env));
  }
  const strip = slim.enabled && slim.strip ? await stripVersion() : undefined;
  const pythonFor = (platform: Platform) => pythons.get(platformId(platform));
  return {
    slim,
    pythonFor,
    stripInstalled: strip !== undefined,
    processing: (platform) => ({ slim, python: pythonFor(platform)?.version ?? null, strip: strip ?? null })
  };
}
