import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { installKey } from './build-key.js';
import { readDistributions, removeDistribution, type Distribution } from './distributions.js';
import type { TreeEntry } from './file-tree.js';
import { installCached, type InstallContext } from './install-requirements.js';
import type { FunctionPlan } from './plan.js';

export interface PackagedFunction {
  cacheHit: boolean;
  /** Distributions left out because a layer of the function provides them. */
  providedByLayers: string[];
}

/**
 * A function's package: its own requirements, resolved against the versions its layers
 * installed and minus the distributions they provide, then its code on top.
 */
export async function packageFunction(
  plan: FunctionPlan,
  code: readonly TreeEntry[],
  layerDists: readonly Distribution[],
  dir: string,
  ctx: InstallContext
): Promise<PackagedFunction> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let cacheHit = false;
  const providedByLayers: string[] = [];
  if (plan.requirements && plan.spec.requirementsFile) {
    const constraints = layerDists.map((d) => `${d.name}==${d.version}`);
    const key = installKey(ctx, plan.platform, plan.requirements, constraints);
    ({ cacheHit } = await installCached(
      {
        label: `function ${plan.spec.name}`,
        requirementsFile: plan.spec.requirementsFile,
        requirements: plan.requirements,
        platform: plan.platform,
        constraints,
        key,
        siteDir: dir
      },
      ctx
    ));
    const provided = new Set(layerDists.map((d) => d.name));
    for (const dist of await readDistributions(dir)) {
      if (!provided.has(dist.name)) continue;
      await removeDistribution(dir, dist);
      providedByLayers.push(dist.name);
    }
  }
  for (const entry of code) {
    const target = path.join(dir, entry.path);
    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { force: true });
    if (entry.linkTarget !== undefined) await symlink(entry.linkTarget, target);
    else await copyFile(path.join(plan.spec.codeDir, entry.path), target);
  }
  return { cacheHit, providedByLayers };
}
