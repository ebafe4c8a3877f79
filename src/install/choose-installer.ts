import type { Platform } from '../lambda/platform.js';
import type { InstallerSetting } from '../settings/settings.js';
import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Installer, Pip, Tools } from '../tools/tools.js';
import { uvPlatform } from '../tools/uv.js';

export interface InstallerFacts {
  setting: InstallerSetting;
  /** uv's identity when this machine has it. */
  uv?: string;
  platforms: readonly Platform[];
  /** pip's own settings that choose where releases come from (uv would not read them). */
  pipSources: readonly string[];
  /** pipArgs from the config file: pip's options. */
  pipArgs: readonly string[];
}

/**
 * pip or uv. `auto` takes uv only when it gives what pip would: uv found, every runtime's glibc a target uv can
 * name, and no package source set in pip's configuration or pipArgs that uv would not see. `uv` asked for
 * explicitly and unusable is an error; pip is always usable. Pure.
 */
export function chooseInstaller(facts: InstallerFacts): { use: 'pip' | 'uv'; why?: string } {
  if (facts.setting === 'pip') return { use: 'pip' };
  const runtimes = [...new Set(facts.platforms.filter((p) => !uvPlatform(p)).map((p) => `${p.runtime} (glibc ${p.glibc.join('.')})`))];
  const unusable = !facts.uv
    ? 'uv was not found (on PATH, or as python -m uv)'
    : runtimes.length
      ? `uv has no target for ${runtimes.join(', ')}`
      : undefined;
  if (facts.setting === 'uv') {
    if (unusable) throw new InputError(`installer uv: ${unusable}; use installer pip (or auto)`);
    return { use: 'uv' };
  }
  if (unusable) return { use: 'pip', why: unusable };
  if (facts.pipSources.length)
    return { use: 'pip', why: `pip's configuration sets ${facts.pipSources.join(', ')}, which uv does not read` };
  if (facts.pipArgs.length) return { use: 'pip', why: 'pipArgs (in the config file) are options for pip' };
  return { use: 'uv' };
}

/** pip as the installer. */
export function pipInstaller(pip: Pip, identity: string): Installer {
  return { name: 'pip', identity, cacheDir: () => pip.cacheDir(), install: (request) => pip.install(request) };
}

/** The installer for this run, chosen by `chooseInstaller` from what this machine has; says what it chose and why. */
export async function selectInstaller(
  setting: InstallerSetting,
  pip: Pip,
  python: string,
  tools: Tools,
  platforms: readonly Platform[],
  pipArgs: readonly string[],
  logger: Logger
): Promise<Installer> {
  const uv = setting === 'pip' ? undefined : await tools.uv(python);
  const pipSources = setting === 'auto' && uv ? await pip.configuredSources() : [];
  const choice = chooseInstaller({ setting, uv: uv?.identity, platforms, pipSources, pipArgs });
  const installer = choice.use === 'uv' && uv ? uv : pipInstaller(pip, await pip.identity());
  logger.info(`using ${installer.identity}${choice.why ? ` (installer auto: ${choice.why})` : ''}`);
  return installer;
}
