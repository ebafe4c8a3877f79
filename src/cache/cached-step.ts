import type { BuildCache, EntryPaths } from './folder-cache.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { timed, type PhaseTimer } from '../shared/stopwatch.js';

/** A build step whose outcome the cache keeps: what it fills, under which key, and how its record looks. */
export interface CachedStep<T> {
  /** "layer X" or "function Y", for messages. */
  label: string;
  key: string;
  paths: EntryPaths;
  /** Whether a restored record has the shape this step writes (a record of another shape is a damaged entry). */
  isMeta: (meta: unknown) => meta is T;
  /** Whether an outcome is worth keeping (by default every one). */
  keep?: (meta: T) => boolean;
}

/**
 * Restores a step's outcome from the cache, or runs it and saves what it made. A damaged or unreadable
 * entry is a miss with a warning naming it, and the rebuild replaces it; a cache failure never fails a build.
 */
export async function cachedStep<T>(
  step: CachedStep<T>,
  ctx: { cache: BuildCache; logger: Logger; timer?: PhaseTimer<'cacheRestore' | 'cacheSave'> },
  run: () => Promise<T>
): Promise<{ cacheHit: boolean; meta: T }> {
  try {
    const hit = await timed(ctx.timer, 'cacheRestore', () => ctx.cache.restore(step.key, step.paths));
    if (hit && step.isMeta(hit.meta)) return { cacheHit: true, meta: hit.meta };
    if (hit) ctx.logger.warning(`${step.label}: cache entry ${step.key} holds a record of another shape: building instead`);
  } catch (error) {
    ctx.logger.warning(`${step.label}: ${errorMessage(error)}: building instead`);
  }
  const meta = await run();
  if (step.keep?.(meta) ?? true) {
    try {
      await timed(ctx.timer, 'cacheSave', () => ctx.cache.save(step.key, step.paths, meta));
    } catch (error) {
      ctx.logger.warning(`cache save failed for ${step.label}: ${errorMessage(error)}`);
    }
  }
  return { cacheHit: false, meta };
}
