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
 * The tools, with each installer's own cache restored just before its first command that uses it (pip: install,
 * wheel, download; uv: install), once, and `save` keeping afterwards the caches of the installers that ran. An
 * installer the build never runs (everything came from the build cache, or auto chose the other) costs nothing.
 */
export function withInstallerCaches(
  tools: Tools,
  restore: (installer: Pick<Installer, 'name' | 'cacheDir'>) => Promise<InstallerCache | undefined>
): { tools: Tools; save: () => Promise<void> } {
  const restored = new Map<Installer['name'], Promise<InstallerCache | undefined>>();
  const using =
    <A extends unknown[], R>(installer: Pick<Installer, 'name' | 'cacheDir'>, run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      let cache = restored.get(installer.name);
      if (!cache) restored.set(installer.name, (cache = restore(installer)));
      await cache;
      return run(...args);
    };
  return {
    save: async () => {
      for (const cache of restored.values()) await (await cache)?.save();
    },
    tools: {
      findPython: (platform, configured) => tools.findPython(platform, configured),
      strip: (architecture) => tools.strip(architecture),
      make: tools.make,
      pip: (python): Pip => {
        const pip = tools.pip(python);
        const installer = { name: 'pip' as const, cacheDir: () => pip.cacheDir() };
        return {
          identity: () => pip.identity(),
          cacheDir: () => pip.cacheDir(),
          configuredSources: () => pip.configuredSources(),
          install: using(installer, (request) => pip.install(request)),
          wheel: using(installer, (requirement, wheelDir, pipArgs) => pip.wheel(requirement, wheelDir, pipArgs)),
          explainNoMatch: using(installer, (platform, requirement, pipArgs) => pip.explainNoMatch(platform, requirement, pipArgs)),
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
            install: using(uv, (request) => uv.install(request))
          }
        );
      }
    }
  };
}
