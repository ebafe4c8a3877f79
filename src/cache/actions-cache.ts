import * as cache from '@actions/cache';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FolderCache, type BuildCache, type CacheHit, type EntryPaths } from './folder-cache.js';
import type { Logger } from '../shared/logger.js';

/** A miss is one round trip; a restore that took longer and found nothing was retrying a failing service. */
const FAILING_AFTER_MS = 10_000;

/**
 * The runner's cache service as one run uses it (build folders, pip's cache, base reports).
 * @actions/cache already turns service failures into warnings and misses, but retries each call
 * for ~30 s on 5xx: after one such failure the service is left alone for the rest of the run, so
 * an outage costs one retry cycle, not one per layer.
 */
export class CacheService {
  private failing = false;

  constructor(private readonly logger: Logger) {}

  /** The key restored (maybe a restore key's match), or undefined. */
  async restore(paths: string[], key: string, restoreKeys?: string[]): Promise<string | undefined> {
    if (this.failing) return undefined;
    const started = Date.now();
    const matched = await cache.restoreCache(paths, key, restoreKeys);
    if (matched === undefined && Date.now() - started > FAILING_AFTER_MS) {
      this.failing = true;
      this.logger.warning('the GitHub Actions cache is failing or slow: building without it for the rest of this run');
    }
    return matched;
  }

  /** False when not saved; @actions/cache has said why (another job saving the same key, an outage). */
  async save(paths: string[], key: string): Promise<boolean> {
    return !this.failing && (await cache.saveCache(paths, key)) !== -1;
  }
}

/** The cache service when the runner provides one (ACTIONS_RESULTS_URL), else undefined (the CLI, other CI). */
export function runnerCacheService(logger: Logger): CacheService | undefined {
  return cache.isFeatureAvailable() ? new CacheService(logger) : undefined;
}

/**
 * Where entries are staged for tar. @actions/cache hashes the path strings into the entry's
 * version, so save and restore must pass the same absolute path: one folder per key, fixed.
 */
export const STAGE_ROOT = path.join(os.tmpdir(), 'lambda-layers-cache');

export const cacheKeyFor = (buildKey: string) => `lambda-layers-build-${buildKey}`;

/**
 * Built folders in the GitHub Actions cache, one entry per build key, matched exactly (no restore
 * keys: a folder is reused only when everything that decides its bytes is unchanged). Each entry is
 * a FolderCache entry (with its manifest) tarred by @actions/cache, checked against its manifest once restored.
 */
export class ActionsCache implements BuildCache {
  private readonly staged: FolderCache;

  constructor(
    private readonly service: CacheService,
    private readonly logger: Logger,
    private readonly stageRoot = STAGE_ROOT
  ) {
    this.staged = new FolderCache(stageRoot, cacheKeyFor);
  }

  async restore(key: string, paths: EntryPaths): Promise<CacheHit | undefined> {
    const stage = path.join(this.stageRoot, key);
    try {
      await rm(stage, { recursive: true, force: true });
      const matched = await this.service.restore([stage], cacheKeyFor(key));
      // The service also matches keys that merely start with ours. The per-key path (in the version) already
      // rules those out; checking the key keeps "exact" independent of how entries are staged.
      if (matched !== cacheKeyFor(key)) return undefined;
      const hit = await this.staged.restore(key, paths);
      if (!hit) this.logger.warning(`cache entry ${matched} has no build folder in it: building instead`);
      return hit;
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  }

  async save(key: string, paths: EntryPaths, meta: unknown): Promise<void> {
    const stage = path.join(this.stageRoot, key);
    try {
      await this.staged.save(key, paths, meta);
      await this.service.save([stage], cacheKeyFor(key));
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  }
}

/** The Actions cache when the runner provides its service, else the local folder cache (the CLI's). */
export function buildCacheFor(cacheDir: string, service: CacheService | undefined, logger: Logger): BuildCache {
  return service ? new ActionsCache(service, logger) : new FolderCache(cacheDir);
}
