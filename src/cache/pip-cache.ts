import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import type { AppFiles } from '../template/app-files.js';
import type { CacheService } from './actions-cache.js';
import { errorMessage } from '../shared/errors.js';

export interface PipCache {
  /** Saves pip's cache after the build, unless this exact set of requirements was restored. */
  save(): Promise<void>;
}

/**
 * pip's own download and wheel cache, kept across runs in the Actions cache. Unlike built layers,
 * a near match helps here (pip checks whatever it takes from its cache), so the key is this OS and
 * CPU plus a hash of every requirements file, and any earlier key of this OS and CPU restores by
 * prefix: a run whose requirements changed starts from the last run's downloads. Never fails a build.
 */
export async function restorePipCache(
  files: { texts: AppFiles['texts']; workingDirectory: string; pipCacheDir: () => Promise<string | undefined> },
  service: CacheService,
  logger: Logger
): Promise<PipCache | undefined> {
  const prefix = `lambda-layers-pip-${process.platform}-${process.arch}-`;
  const hash = createHash('sha256');
  const texts = [...files.texts].map(([file, text]) => [path.relative(files.workingDirectory, file), text] as const);
  for (const [file, text] of texts.sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${file}\0${text}\0`);
  const key = prefix + hash.digest('hex').slice(0, 32);
  try {
    const dir = await files.pipCacheDir();
    if (!dir) return undefined;
    const matched = await service.restore([dir], key, [prefix]);
    return {
      save: async () => {
        if (matched === key || !(await readdir(dir).catch(() => [])).length) return;
        try {
          await service.save([dir], key);
        } catch (error) {
          logger.warning(`pip's cache was not saved: ${errorMessage(error)}`);
        }
      }
    };
  } catch (error) {
    logger.warning(`pip's cache was not restored: ${errorMessage(error)}`);
    return undefined;
  }
}
