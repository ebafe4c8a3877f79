import { DeleteLayerVersionCommand, ListLayerVersionsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { allPages } from '../aws/pages.js';

/**
 * Optional retention: keep the newest N versions of a layer and delete the older ones, but never the
 * current or the previous version (the one rollback goes back to). Publishing alone never deletes.
 */

/** The fewest versions kept: the current one and the previous one. */
export const MIN_KEEP_VERSIONS = 2;

/** `keep-versions`: empty means no retention (nothing is ever deleted). */
export function parseKeepVersions(value: string | undefined, inputName: string): number | undefined {
  if (!value) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InputError(`${inputName} must be a positive whole number, got "${value}"`);
  return Number(value);
}

/** Pure: the versions to delete, oldest first. Anything not among the newest `keep` goes, unless protected. */
export function versionsToDelete(
  versions: readonly number[],
  keep: number,
  protectedVersions: ReadonlyArray<number | undefined>
): number[] {
  const newestFirst = [...new Set(versions)].sort((a, b) => b - a);
  const kept = new Set([...newestFirst.slice(0, Math.max(keep, MIN_KEEP_VERSIONS)), ...protectedVersions]);
  return newestFirst.filter((v) => !kept.has(v)).reverse();
}

/** Every version number of a layer, over all pages. */
export async function layerVersionNumbers(lambda: LambdaClient, layerName: string): Promise<number[]> {
  const versions = await allPages(async (marker) => {
    const page = await lambda.send(new ListLayerVersionsCommand({ LayerName: layerName, Marker: marker, MaxItems: 50 }));
    return { items: page.LayerVersions ?? [], nextMarker: page.NextMarker };
  });
  return versions.flatMap((v) => (v.Version === undefined ? [] : [v.Version]));
}

export interface RetentionTarget {
  layerName: string;
  /** The version live after the run. */
  current: number;
  /** The version that was latest before it, if any. */
  previous?: number;
}

/** Deletes what `versionsToDelete` selects; returns the deleted version numbers. */
export async function applyRetention(lambda: LambdaClient, target: RetentionTarget, keep: number, logger: Logger): Promise<number[]> {
  const doomed = versionsToDelete(await layerVersionNumbers(lambda, target.layerName), keep, [target.current, target.previous]);
  for (const version of doomed) {
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: target.layerName, VersionNumber: version }));
  }
  if (doomed.length)
    logger.info(`${target.layerName}: deleted old versions ${doomed.join(', ')} (keeping the newest ${Math.max(keep, MIN_KEEP_VERSIONS)})`);
  return doomed;
}
