import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildCache } from '../cache/folder-cache.js';
import type { InstallOptions } from '../plan/build-key.js';
import { cachedStep } from '../cache/cached-step.js';
import { BuildError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { explainSkippedLinks, pipErrors, unsatisfiedRequirement, uvErrors } from './pip-diagnosis.js';
import type { Platform } from '../lambda/platform.js';
import { pipLine, projectOf, targetRequirementsText, type RequirementsFile } from '../plan/requirements.js';
import { normalizeName } from '../shared/package-names.js';
import { withScratchDir } from '../shared/scratch.js';
import type { InstallRequest, Installer, Make, Pip } from '../tools/tools.js';
import { timed, type PhaseTimer } from '../shared/stopwatch.js';

/** One pip install: a layer's requirements, or a function's own. */
export interface InstallUnit {
  /** "layer X" or "function Y", for messages. */
  label: string;
  requirementsFile: string;
  requirements: RequirementsFile;
  platform: Platform;
  /** name==version lines fixed by the layers below. */
  constraints: string[];
  /** Where the constraints come from ("layer CoreLayer"), to explain a conflict with them. */
  constraintsFrom?: string;
  key: string;
  siteDir: string;
}

export interface InstallContext extends InstallOptions {
  /** pip: diagnoses failures, builds allowed sdists, judges markers; the reference installer. */
  pip: Pip;
  /** What installs the requirements (pip or uv); its identity is `installer`. */
  installWith: Installer;
  /** For BuildMethod makefile artifacts. */
  make: Make;
  cache: BuildCache;
  logger: Logger;
  /** Scratch space inside the output folder. */
  workDir: string;
  /** Times the install and the cache's restore and save, for the report (one per layer or function). */
  timer?: PhaseTimer<'install' | 'cacheRestore' | 'cacheSave'>;
}

function targetName(platform: Platform): string {
  return `${platform.runtime} ${platform.architecture} (cp${platform.abi.slice(2)}, ${platform.platformTags[0]})`;
}

/**
 * Installs a unit's requirements into its site folder and runs `after` on it (slimming), or
 * restores both from the cache when its key is there. Returns what `after` recorded.
 */
export async function installCached<T>(
  unit: InstallUnit,
  ctx: InstallContext,
  after: (siteDir: string) => Promise<T>,
  isMeta: (meta: unknown) => meta is T
): Promise<{ cacheHit: boolean; meta: T }> {
  return cachedStep({ label: unit.label, key: unit.key, paths: { tree: unit.siteDir }, isMeta }, ctx, async () => {
    await timed(ctx.timer, 'install', () => installRequirements(unit, ctx));
    return after(unit.siteDir);
  });
}

/** pip install of a unit's requirements into its (emptied) site folder. */
export async function installRequirements(unit: InstallUnit, ctx: InstallContext): Promise<void> {
  await rm(unit.siteDir, { recursive: true, force: true });
  await mkdir(unit.siteDir, { recursive: true });
  await withScratchDir(ctx.workDir, 'pip-', async (scratch) => {
    const findLinks = await buildAllowedSdists(unit, ctx, scratch);
    let constraintsFile: string | undefined;
    if (unit.constraints.length) {
      constraintsFile = path.join(scratch, 'constraints.txt');
      await writeFile(constraintsFile, unit.constraints.join('\n') + '\n');
    }
    // pip reads the lines that apply to the target, without their markers: it would judge them for the host.
    const requirementsFile = path.join(scratch, 'requirements.txt');
    await writeFile(requirementsFile, targetRequirementsText(unit.requirements, path.dirname(unit.requirementsFile)));
    const request: InstallRequest = {
      platform: unit.platform,
      requirementsFile,
      constraintsFile,
      targetDir: unit.siteDir,
      findLinks,
      pipArgs: ctx.pipArgs
    };
    const result = await ctx.installWith.install(request);
    ctx.logger.detail(`${ctx.installWith.name} install for ${unit.label}`, result.output);
    if (result.ok) return;
    if (ctx.installWith.name === 'pip') throw await describeFailure(unit, ctx, result.output);
    // pip's output is what the diagnosis reads (the requirement and its line, sdist-only, no wheel for the platform).
    await rm(unit.siteDir, { recursive: true, force: true });
    const byPip = await ctx.pip.install({ ...request, targetDir: path.join(scratch, 'pip-diagnosis') });
    ctx.logger.detail(`pip install for ${unit.label}, to explain uv's failure`, byPip.output);
    if (!byPip.ok) throw await describeFailure(unit, ctx, byPip.output);
    throw new BuildError(
      `${unit.label}: ${ctx.installWith.identity} failed where pip succeeds: ${uvErrors(result.output)}; use installer pip`,
      {
        file: unit.requirementsFile
      }
    );
  });
}

/** Wheels built from the sdists the user allowed, for pip to find; a built wheel must still match the platform. */
async function buildAllowedSdists(unit: InstallUnit, ctx: InstallContext, scratch: string): Promise<string[]> {
  if (ctx.allowSdist.length === 0) return [];
  const wheelDir = path.join(scratch, 'wheels');
  for (const name of ctx.allowSdist.map(normalizeName)) {
    const found = unit.requirements.requirements.find((r) => r.name === name);
    const requirement = found ? pipLine(found) : name;
    const result = await ctx.pip.wheel(requirement, wheelDir, ctx.pipArgs);
    ctx.logger.detail(`pip wheel ${requirement} for ${unit.label} (allow-sdist)`, result.output);
    if (!result.ok) {
      throw new BuildError(`${unit.label}: building allowed sdist "${requirement}" failed: ${pipErrors(result.output)}`, {
        file: unit.requirementsFile
      });
    }
  }
  return [wheelDir];
}

async function describeFailure(unit: InstallUnit, ctx: InstallContext, output: string): Promise<BuildError> {
  const requirement = unsatisfiedRequirement(output);
  const line = requirement ? unit.requirements.requirements.find((r) => r.name === projectOf(requirement))?.lineNumber : undefined;
  const where = { file: unit.requirementsFile, line };
  if (!requirement) {
    const source =
      unit.constraintsFrom && output.includes('(constraint)')
        ? ` (the constraints are the versions installed by ${unit.constraintsFrom})`
        : '';
    return new BuildError(`${unit.label}: pip failed: ${pipErrors(output)}${source}`, where);
  }
  const verbose = await ctx.pip.explainNoMatch(unit.platform, requirement, ctx.pipArgs);
  const explanation = explainSkippedLinks(requirement, verbose, targetName(unit.platform));
  return new BuildError(`${unit.label}: requirement "${requirement}": ${explanation.message}`, where);
}
