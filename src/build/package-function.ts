import { mkdir, rm } from 'node:fs/promises';
import { installKey } from '../plan/build-key.js';
import type { LayerDistributions } from '../artifact/distributions.js';
import { copyEntries, type TreeEntry } from '../artifact/file-tree.js';
import { installCached, type InstallContext } from '../install/install-requirements.js';
import type { FunctionPlan } from '../plan/plan.js';
import type { SlimContext } from '../slim/slim-context.js';
import { isSlimLog, type SlimLog } from '../slim/slim-log.js';
import { slimSite } from '../slim/slim-site.js';
import type { PhaseTimer } from '../shared/stopwatch.js';

export interface PackagedFunction {
  cacheHit: boolean;
  /** What slimming did to the function's own dependencies, when it has any. */
  slimLog?: SlimLog;
}

/**
 * A function's package: its own requirements, resolved against the versions its layers installed
 * (the version that wins in /opt) and minus the distributions they provide, slimmed like a layer,
 * then its code on top, as written.
 */
export async function packageFunction(
  plan: FunctionPlan,
  code: readonly TreeEntry[],
  stack: readonly LayerDistributions[],
  effective: readonly { name: string; version: string }[],
  dir: string,
  ctx: InstallContext,
  slim: SlimContext,
  timer?: PhaseTimer<'install' | 'cacheRestore' | 'cacheSave' | 'prune' | 'strip' | 'link' | 'bytecode'>
): Promise<PackagedFunction> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let result: PackagedFunction = { cacheHit: false };
  if (plan.requirements && plan.spec.requirementsFile) {
    const constraints = effective.map((d) => `${d.name}==${d.version}`);
    const { cacheHit, meta } = await installCached(
      {
        label: `function ${plan.spec.name}`,
        requirementsFile: plan.spec.requirementsFile,
        requirements: plan.requirements,
        platform: plan.platform,
        constraints,
        constraintsFrom: stack.map((s) => `layer ${s.layer}`).join(', '),
        key: installKey(ctx, plan.platform, plan.requirements, constraints, slim.processing(plan.platform)),
        siteDir: dir
      },
      { ...ctx, timer },
      (siteDir) =>
        slimSite({
          siteDir,
          settings: slim.slim,
          provided: stack.map((s) => ({ layer: s.layer, names: s.dists.map((d) => d.name) })),
          python: slim.pythonFor(plan.platform),
          deployedAt: '/var/task',
          pythonVersion: plan.platform.pythonVersion,
          strip: slim.stripFor(plan.platform),
          timer
        }),
      isSlimLog
    );
    result = { cacheHit, slimLog: meta };
  }
  await copyEntries(plan.spec.codeDir, code, dir);
  return result;
}
