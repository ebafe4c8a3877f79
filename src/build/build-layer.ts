import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stackedKey } from '../plan/build-key.js';
import type { Distribution } from '../artifact/distributions.js';
import { InputError } from '../shared/errors.js';
import { installCached, type InstallContext } from '../install/install-requirements.js';
import { measureArtifact } from '../artifact/measure.js';
import type { LayerPlan } from '../plan/plan.js';
import type { LayerReport } from '../report/report.js';
import type { SlimContext } from '../slim/slim-context.js';
import { emptySlimLog, type SlimLog } from '../slim/slim-log.js';
import { copyEntries, type TreeEntry } from '../artifact/file-tree.js';
import type { ArtifactSource } from '../template/artifact-source.js';
import { shipAsIs } from './ship-as-is.js';
import { slimSite } from '../slim/slim-site.js';

/** A layer as built: its report, what functions stacked on it see, and what slimming removed. */
export interface BuiltLayer {
  report: LayerReport;
  root: string;
  dists: Distribution[];
  slimLog: SlimLog;
}

/** Written beside each built layer, so `check` knows its key and what slimming did. */
interface BuildRecord {
  key: string;
  slimLog: SlimLog;
}

export interface LayerBuild {
  plan: LayerPlan;
  /** The layer's folder as `sam build` copies it: shipped under python/, over what pip installed (or as it is). */
  code: readonly TreeEntry[];
  /** Set when the layer is not built by pip (a .zip, SkipBuild, a prebuilt python/ folder, a makefile). */
  source?: ArtifactSource;
  /** What reading its files decided (e.g. a pyproject.toml left alone). */
  notes: readonly string[];
  /** The built layers below this one in every stack that uses it: constraints, and left out here. */
  below: readonly BuiltLayer[];
  root: string;
  outDir: string;
  mode: 'build' | 'check';
}

/** Builds (or, in check mode, re-measures) one layer: install against the layers below, slim, zip, measure. */
export async function buildLayer(build: LayerBuild, ctx: InstallContext, slim: SlimContext): Promise<BuiltLayer> {
  const { plan, below, root } = build;
  const recordFile = `${root}.build.json`;
  const constraints = below.flatMap((l) => l.dists.map((d) => `${d.name}==${d.version}`));
  const key = stackedKey(plan.key, constraints);
  const warnings = [...plan.warnings, ...build.notes, ...(build.source ? [notBuiltByPip(build.source)] : [])];
  let cacheHit = false;
  let slimLog: SlimLog;
  let zipped = false;
  // python-uv is built by pip like the rest (with a note); the other sources are not pip builds.
  const asIs = build.source?.kind === 'python-uv' ? undefined : build.source;
  if (build.mode === 'build' && asIs) {
    ({ zipped } = await shipAsIs({
      name: plan.spec.name,
      source: asIs,
      path: plan.spec.contentDir,
      entries: build.code,
      root,
      zipFile: `${root}.zip`,
      workDir: ctx.workDir,
      make: ctx.make,
      location: plan.spec.location
    }));
    slimLog = emptySlimLog(false, 0, 'none');
    await writeFile(recordFile, JSON.stringify({ key, slimLog } satisfies BuildRecord));
  } else if (build.mode === 'build') {
    const siteDir = path.join(root, 'python');
    await rm(root, { recursive: true, force: true });
    await mkdir(siteDir, { recursive: true });
    if (plan.requirements.requirements.length === 0) slimLog = emptySlimLog(slim.slim.enabled, 0, 'none');
    else
      ({ cacheHit, meta: slimLog } = await installCached(
        {
          label: `layer ${plan.spec.name}`,
          requirementsFile: plan.spec.requirementsFile,
          requirements: plan.requirements,
          platform: plan.platform,
          constraints,
          constraintsFrom: below.map((l) => `layer ${l.report.name}`).join(', '),
          key,
          siteDir
        },
        ctx,
        (siteDir) =>
          slimSite({
            siteDir,
            settings: slim.slim,
            provided: below.map((l) => ({ layer: l.report.name, names: l.dists.map((d) => d.name) })),
            lowerSites: below.map((l) => ({ layer: l.report.name, siteDir: path.join(l.root, 'python') })),
            python: slim.pythonFor(plan.platform),
            deployedAt: '/opt/python',
            pythonVersion: plan.platform.pythonVersion,
            strip: slim.strip
          })
      ));
    // As `sam build` does: the folder is copied after pip, over what it installed.
    // Slimmed, the layer leaves out its requirements.txt: a manifest nothing imports from /opt/python.
    const code = slim.slim.enabled ? build.code.filter((e) => e.path !== 'requirements.txt') : build.code;
    await copyEntries(plan.spec.contentDir, code, siteDir);
    await writeFile(recordFile, JSON.stringify({ key, slimLog } satisfies BuildRecord));
  } else {
    const text = await readFile(recordFile, 'utf8').catch(() => undefined);
    if (text === undefined) throw new InputError(`no build of layer ${plan.spec.name} in ${build.outDir}: run lambda-layers build first`);
    const record = JSON.parse(text) as BuildRecord;
    if (record.key !== key) warnings.push('the build is stale: what decides this layer changed since it was built');
    slimLog = record.slimLog;
  }
  const { sizes, dists } = await measureArtifact(
    { root, sitePrefix: 'python/', zipFile: `${root}.zip`, unclaimedLabel: '(layer code)' },
    build.outDir,
    build.mode === 'build' && !zipped
  );
  const report: LayerReport = {
    name: plan.spec.name,
    ...(plan.spec.layerName ? { layerName: plan.spec.layerName } : {}),
    runtime: plan.platform.runtime,
    architecture: plan.platform.architecture,
    buildKey: key,
    cacheHit,
    ...sizes,
    slimming: slimmingReport(slimLog),
    violations: [],
    warnings: [...warnings, ...slimLog.notes, ...skippedSteps(slimLog)]
  };
  return { report, root, dists, slimLog };
}

/** The report's view of a slim log: what was removed, and how, without the per-file list. */
export function slimmingReport(log: SlimLog): LayerReport['slimming'] {
  const { removedPaths: _paths, notes: _notes, ...rest } = log;
  return { ...rest, removedByPackage: rest.removedByPackage.slice(0, 10) };
}

function skippedSteps(log: SlimLog): string[] {
  return [
    ...(log.strip.skipped && log.strip.skipped !== 'turned off' && log.enabled ? [`not stripped: ${log.strip.skipped}`] : []),
    ...(log.bytecode.skipped ? [`no bytecode: ${log.bytecode.skipped}`] : []),
    ...log.strip.restored.map((r) => `kept unstripped (it did not load once stripped): ${r}`)
  ];
}

/** What happened instead of a pip build, for the report. */
export function notBuiltByPip(source: ArtifactSource): string {
  switch (source.kind) {
    case 'zip':
      return 'a .zip artifact: measured and checked as it is, not rebuilt nor slimmed';
    case 'makefile':
      return 'built by its Makefile (make build-<LogicalId>, as sam build runs it): measured and checked, not slimmed';
    case 'as-is':
      return `${source.reason}: shipped as it is, measured and checked, not slimmed`;
    case 'python-uv':
      return 'BuildMethod python-uv: built with pip from requirements.txt (uv is not run)';
  }
}
