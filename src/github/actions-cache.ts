import * as cache from '@actions/cache';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FolderCache, type BuildCache, type CacheHit } from '../build-cache.js';
import type { Logger } from '../logger.js';

/**
 * Where entries are staged for tar. @actions/cache hashes the path strings into the entry's
 * version, so save and restore must pass the same absolute path: one folder per key, fixed.
 */
export const STAGE_ROOT = path.join(os.tmpdir(), 'lambda-layers-cache');

/** A miss is one round trip; a restore that took longer and found nothing was retrying a failing service. */
const FAILING_AFTER_MS = 10_000;

export const cacheKeyFor = (buildKey: string) => `lambda-layers-build-${buildKey}`;

/**
 * Built folders in the GitHub Actions cache, one entry per build key, matched exactly (no restore
 * keys: a folder is reused only when everything that decides its bytes is unchanged). Each entry is
 * a FolderCache entry (tree/ and meta.json) tarred by @actions/cache. @actions/cache already turns
 * service failures into warnings and misses; a service that fails slowly is dropped for the rest of
 * the run so that one outage costs one retry cycle, not one per layer.
 */
export class ActionsCache implements BuildCache {
  private failing = false;
  private readonly staged: FolderCache;

  constructor(
    private readonly logger: Logger,
    private readonly stageRoot = STAGE_ROOT
  ) {
    this.staged = new FolderCache(stageRoot);
  }

  async restore(key: string, dir: string): Promise<CacheHit | undefined> {
    if (this.failing) return undefined;
    const stage = path.join(this.stageRoot, key);
    const started = Date.now();
    try {
      await rm(stage, { recursive: true, force: true });
      const matched = await cache.restoreCache([stage], cacheKeyFor(key));
      if (matched === undefined && Date.now() - started > FAILING_AFTER_MS) this.giveUp();
      // The service also matches keys that merely start with ours. The per-key path (in the version) already
      // rules those out; checking the key keeps "exact" independent of how entries are staged.
      if (matched !== cacheKeyFor(key)) return undefined;
      const hit = await this.staged.restore(key, dir);
      if (!hit) this.logger.warning(`cache entry ${matched} has no build folder in it: building instead`);
      return hit;
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  }

  async save(key: string, dir: string, meta: unknown): Promise<void> {
    if (this.failing) return;
    const stage = path.join(this.stageRoot, key);
    try {
      await this.staged.save(key, dir, meta);
      // -1: not saved; @actions/cache has said why (another job saving the same key, an outage).
      await cache.saveCache([stage], cacheKeyFor(key));
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  }

  private giveUp(): void {
    this.failing = true;
    this.logger.warning('the GitHub Actions cache is failing or slow: building without it for the rest of this run');
  }
}

/** The Actions cache when the runner provides its service, else the local folder cache (the CLI's). */
export function buildCacheFor(cacheDir: string, logger: Logger): BuildCache {
  return cache.isFeatureAvailable() ? new ActionsCache(logger) : new FolderCache(cacheDir);
}
