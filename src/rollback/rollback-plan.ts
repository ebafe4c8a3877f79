import { InputError } from '../shared/errors.js';
import { unversionedLayerArn } from '../aws/layer-arn.js';
import type { RollbackManifest } from './manifest.js';

/**
 * Pure rollback planning: which layer versions go back to which, per function, and the
 * `sam deploy --parameter-overrides` pairs for stacks that take layer ARNs as parameters.
 */

export interface LayerRollback {
  logicalId: string;
  layerName: string;
  /** The version to go back to; null when this run published the first version (nothing to go back to). */
  previousArn: string | null;
}

/** Our layers by their unversioned ARN: a function's layer of any version of one of them is ours to roll back. */
export function layerRollbacks(manifest: RollbackManifest): Map<string, LayerRollback> {
  const byLayer = new Map<string, LayerRollback>();
  for (const [logicalId, layer] of Object.entries(manifest.layers)) {
    const known = layer.arn ?? layer.previousArn;
    // Failed on a first publish: no version exists, so no function can use it.
    if (!known) continue;
    byLayer.set(unversionedLayerArn(known)!, { logicalId, layerName: layer.layerName, previousArn: layer.previousArn });
  }
  return byLayer;
}

export interface FunctionRollbackPlan {
  /** The layer list to set: ours at their previous versions, every other layer kept in its place. */
  target: string[];
  /** True when the function is already on the target list. */
  unchanged: boolean;
  /** Our layers the function uses that have no previous version: they stay as they are. */
  noPrevious: LayerRollback[];
}

export function planFunctionRollback(current: readonly string[], layers: ReadonlyMap<string, LayerRollback>): FunctionRollbackPlan {
  const noPrevious: LayerRollback[] = [];
  const target = current.map((arn) => {
    const ours = layers.get(unversionedLayerArn(arn) ?? '');
    if (!ours) return arn;
    if (ours.previousArn === null) {
      noPrevious.push(ours);
      return arn;
    }
    return ours.previousArn;
  });
  return { target, unchanged: target.every((arn, i) => arn === current[i]), noPrevious };
}

/**
 * `--parameter-overrides` pairs (`Name=arn`) for the layers that have a previous version, named by
 * logical ID unless `parameterNames` maps a logical ID to the template's parameter name.
 */
export function parameterOverrides(
  manifest: RollbackManifest,
  parameterNames: Readonly<Record<string, string>>,
  inputName: string
): string[] {
  for (const id of Object.keys(parameterNames)) {
    if (!(id in manifest.layers))
      throw new InputError(`${inputName}: ${id} is not a layer of the manifest (${Object.keys(manifest.layers).join(', ') || 'none'})`);
  }
  return Object.entries(manifest.layers)
    .filter(([, layer]) => layer.previousArn !== null)
    .map(([id, layer]) => `${parameterNames[id] ?? id}=${layer.previousArn}`);
}

/** Parses `LogicalId=ParamName` pairs (comma- or newline-separated). */
export function parseParameterNames(pairs: readonly string[], inputName: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z0-9]+)=([A-Za-z0-9]+)$/.exec(pair);
    if (!match) throw new InputError(`${inputName}: expected LogicalId=ParameterName, got "${pair}"`);
    names[match[1]!] = match[2]!;
  }
  return names;
}

/** Layers that cannot be rolled back because this run published their first version. */
export function firstPublished(manifest: RollbackManifest): string[] {
  return Object.entries(manifest.layers)
    .filter(([, layer]) => layer.previousArn === null && layer.arn !== null)
    .map(([id]) => id);
}

/** What to tell the user about each layer of `firstPublished`. */
export function firstPublishedWarnings(manifest: RollbackManifest): string[] {
  return firstPublished(manifest).map(
    (id) =>
      `${id} (${manifest.layers[id]!.layerName}) cannot be rolled back: this release published its first version, there is no previous one`
  );
}
