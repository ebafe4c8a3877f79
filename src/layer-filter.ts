import { InputError } from './errors.js';
import type { LayerStacking } from './slim/layer-stacking.js';

/** Which layers a (matrix) job builds and reports, and which functions it can check. */
export interface LayerSelection {
  /** The layers the job reports: the named ones, or all. */
  reported: Set<string>;
  /** What it builds: the reported layers and, when layers are resolved against the layers below, those too. */
  built: Set<string>;
  /** Functions left out, with the reason: one of their layers is not built in this job. */
  skippedFunctions: Map<string, string>;
}

/**
 * Picks the layers a job builds from the `layers` input (--layers in the CLI). An upper layer is resolved and deduped
 * against the layers below it in every stack (commonBelow), so those are built as well (or
 * restored from the cache under the same keys their own jobs save); they are not reported, so
 * that each layer is reported by the job that names it. A function is checked only where all its
 * template layers are built. Pure.
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
    throw new InputError(`layers: no layer ${unknown.map((n) => `"${n}"`).join(', ')} in the template; its layers are: ${[...all].sort().join(', ') || 'none'}`);
  }
  const reported = new Set(names);
  const built = new Set([...names, ...(stacked ? names.flatMap((n) => stacking.commonBelow.get(n) ?? []) : [])]);
  const skippedFunctions = new Map<string, string>();
  for (const stack of stacking.stacks) {
    const missing = stack.layers.filter((l) => !built.has(l));
    if (missing.length) skippedFunctions.set(stack.name, `${stack.name}: not checked in this job: it needs layer ${missing.join(', ')}, not built here (layers: ${names.join(', ')})`);
  }
  return { reported, built: new Set(all.filter((l) => built.has(l))), skippedFunctions };
}
