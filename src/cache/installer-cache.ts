import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import type { AppFiles } from '../template/app-files.js';
import type { Installer, Pip, Tools } from '../tools/tools.js';
import type { CacheService } from './actions-cache.js';
import { errorMessage } from '../shared/errors.js';

export interface InstallerCache {
  /** Saves the installer's cache after the build, unless this exact set of requirements was restored. */
  save(): Promise<void>;
}

/** The installer's key prefix: one per installer, OS and CPU (their caches have different layouts). */
export const installerCachePrefix = (name: Installer['name']) => `lambda-layers-${name}-${process.platform}-${process.arch}-`;

/**
 * An installer's own download and wheel cache (pip's, uv's), kept across runs in the Actions cache. Unlike built
 * layers, a near match helps here (the installer checks whatever it takes from its cache), so the key is the
 * installer, this OS and CPU plus a hash of every requirements file, and any earlier key of the same installer,
 * OS and CPU restores by prefix: a run whose requirements changed starts from the last run's downloads. No cache
 * folder (the installer's cache is off) keeps nothing. Never fails a build: warnings only.
 */
export async function restoreInstallerCache(
  installer: Pick<Installer, 'name' | 'cacheDir'>,
  files: { texts: AppFiles['texts']; workingDirectory: string },
  service: CacheService,
  logger: Logger
): Promise<InstallerCache | undefined> {
  const prefix = installerCachePrefix(installer.name);
  const hash = createHash('sha256');
  const texts = [...files.texts].map(([file, text]) => [path.relative(files.workingDirectory, file), text] as const);
  for (const [file, text] of texts.sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${file}\0${text}\0`);
  const key = prefix + hash.digest('hex').slice(0, 32);
  try {
    const dir = await installer.cacheDir();
    if (!dir) return undefined;
    const matched = await service.restore([dir], key, [prefix]);
    return {
      save: async () => {
        if (matched === key || !(await readdir(dir).catch(() => [])).length) return;
        try {
          await service.save([dir], key);
        } catch (error) {
          logger.warning(`${installer.name}'s cache was not saved: ${errorMessage(error)}`);
        }
      }
    };
  } catch (error) {
    logger.warning(`${installer.name}'s cache was not restored: ${errorMessage(error)}`);
    return undefined;
  }
}

/**
 * The tools, noting which installer ran a command that fills its cache (pip: install, wheel, download; uv:
 * install): only those installers' caches have anything new to keep.
 */
export function trackInstallers(tools: Tools): { tools: Tools; used: ReadonlySet<Installer['name']> } {
  const used = new Set<Installer['name']>();
  const noting =
    <A extends unknown[], R>(name: Installer['name'], run: (...args: A) => R) =>
    (...args: A): R => {
      used.add(name);
      return run(...args);
    };
  return {
    used,
    tools: {
      findPython: (platform, configured) => tools.findPython(platform, configured),
      strip: (architecture) => tools.strip(architecture),
      make: tools.make,
      pip: (python): Pip => {
        const pip = tools.pip(python);
        return {
          identity: () => pip.identity(),
          cacheDir: () => pip.cacheDir(),
          configuredSources: () => pip.configuredSources(),
          install: noting('pip', (request) => pip.install(request)),
          wheel: noting('pip', (requirement, wheelDir, pipArgs) => pip.wheel(requirement, wheelDir, pipArgs)),
          explainNoMatch: noting('pip', (platform, requirement, pipArgs) => pip.explainNoMatch(platform, requirement, pipArgs)),
          evaluateMarkers: (markers, environments) => pip.evaluateMarkers(markers, environments)
        };
      },
      uv: async (python) => {
        const uv = await tools.uv(python);
        return (
          uv && {
            name: uv.name,
            identity: uv.identity,
            cacheDir: () => uv.cacheDir(),
            install: noting(uv.name, (request) => uv.install(request))
          }
        );
      }
    }
  };
}
