import { InputError } from '../shared/errors.js';
import type { LayerStacking } from './layer-stacking.js';
import type { FunctionSpec } from '../template/app-model.js';

/** Which layers a (matrix) job builds and reports, and which functions it checks. */
export interface LayerSelection {
  /** The layers the job reports: the named ones, or all. */
  reported: Set<string>;
  /** What it builds, in build order: the reported layers and the layers they need (see selectLayers). */
  built: Set<string>;
  /** Functions this job leaves to another, with the reason. */
  skippedFunctions: Map<string, string>;
}

/**
 * Picks what a job builds from the `layers` input (--layers in the CLI), so that a matrix of one
 * job per layer builds each layer once and checks each function once:
 * - an upper layer is resolved and deduped against the layers below it in every stack
 *   (commonBelow), so those are built too;
 * - a function is checked by the job that names its last template layer, which builds the rest of
 *   its stack for that; functions without template layers are checked by every job.
 * Layers built only as a base are not reported: each layer is reported by the job that names it.
 * In a matrix, the layers built as a base mostly come from the cache, saved by their own jobs
 * under the same keys; building them gives the same bytes. Pure.
 */
export function selectLayers(
  names: readonly string[],
  stacking: LayerStacking,
  /** false for naive builds: no layer depends on the ones below it. */
  stacked: boolean
): LayerSelection {
  const all = stacking.order;
  if (names.length === 0) return { reported: new Set(all), built: new Set(all), skippedFunctions: new Map() };
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length) {
    throw new InputError(
      `layers: no layer ${unknown.map((n) => `"${n}"`).join(', ')} in the template; its layers are: ${[...all].sort().join(', ') || 'none'}`
    );
  }
  const withBelow = (layers: readonly string[]) => [
    ...layers,
    ...(stacked ? layers.flatMap((l) => stacking.commonBelow.get(l) ?? []) : [])
  ];
  const built = new Set(withBelow(names));
  const skippedFunctions = new Map<string, string>();
  for (const stack of stacking.stacks) {
    const top = stack.layers.at(-1);
    if (checkedByJob(names, stack.layers)) withBelow(stack.layers).forEach((l) => built.add(l));
    else
      skippedFunctions.set(
        stack.name,
        `${stack.name}: checked by the job that builds its last layer, ${top} (this job: layers ${names.join(', ')})`
      );
  }
  return { reported: new Set(names), built: new Set(all.filter((l) => built.has(l))), skippedFunctions };
}

/** A function is checked by the job that names its last template layer; one without template layers by every job. */
export function checkedByJob(names: readonly string[], templateLayers: readonly string[]): boolean {
  const top = templateLayers.at(-1);
  return names.length === 0 || top === undefined || names.includes(top);
}

/** Whether this job reads and checks a function of the template. */
export function readsFunction(names: readonly string[], fn: FunctionSpec): boolean {
  return checkedByJob(
    names,
    fn.layers.flatMap((l) => (l.kind === 'template' ? [l.name] : []))
  );
}
