import type { FunctionSpec } from '../template/app-model.js';
import { parseLayerVersionArn, unversionedLayerArn } from '../aws/layer-arn.js';

/** One of our layers after a publish run. */
export interface LayerVersions {
  /** The version live after the run (null: failed, none existed). */
  arn: string | null;
  /** The latest version before the run (null: first publish). */
  previousArn: string | null;
}

export interface FunctionLayerLists {
  before: string[];
  after: string[];
  /** Template layer references that are not version ARNs (parameters, other intrinsics): left out of the lists. */
  omitted: string[];
}

/**
 * A function's layer lists before and after a publish run, in extraction order. From the live function
 * when it exists: each of our layers (any version) replaced by its new version, every other layer kept
 * in place. Otherwise from the template: our layers at their previous and new versions, external
 * layer ARNs as written. Pure.
 */
export function functionLayerLists(
  fn: FunctionSpec,
  live: readonly string[] | undefined,
  layers: ReadonlyMap<string, LayerVersions>
): FunctionLayerLists {
  if (live) {
    const newByLayer = new Map<string, string>();
    for (const { arn } of layers.values()) if (arn) newByLayer.set(unversionedLayerArn(arn) ?? arn, arn);
    return { before: [...live], after: live.map((arn) => newByLayer.get(unversionedLayerArn(arn) ?? '') ?? arn), omitted: [] };
  }
  const before: string[] = [];
  const after: string[] = [];
  const omitted: string[] = [];
  for (const ref of fn.layers) {
    if (ref.kind === 'template') {
      const versions = layers.get(ref.name);
      if (versions?.previousArn) before.push(versions.previousArn);
      if (versions?.arn) after.push(versions.arn);
    } else if (parseLayerVersionArn(ref.ref)) {
      before.push(ref.ref);
      after.push(ref.ref);
    } else {
      omitted.push(ref.ref);
    }
  }
  return { before, after, omitted };
}

/** True when a function uses at least one of our layers: only those go into the manifest. */
export function usesOurLayers(fn: FunctionSpec, layers: ReadonlyMap<string, LayerVersions>): boolean {
  return fn.layers.some((ref) => ref.kind === 'template' && layers.has(ref.name));
}
