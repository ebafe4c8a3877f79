import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stackedKey } from '../plan/build-key.js';
import type { Distribution } from '../artifact/distributions.js';
import { InputError } from '../shared/errors.js';
import { cachedStep } from '../cache/cached-step.js';
import { installRequirements, type InstallContext } from '../install/install-requirements.js';
import { measureArtifact, type Measured } from '../artifact/measure.js';
import { isObject } from '../shared/json.js';
import type { LayerPlan } from '../plan/plan.js';
import type { LayerReport } from '../report/report.js';
import type { SlimContext } from '../slim/slim-context.js';
import { isSlimLog, type SlimLog } from '../slim/slim-log.js';
import { slimSite } from '../slim/slim-site.js';

/** A layer as built: its report, what functions stacked on it see, and what slimming removed. */
export interface BuiltLayer {
  report: LayerReport;
  root: string;
  dists: Distribution[];
  slimLog: SlimLog;
}

/** What the cache keeps with a layer: what slimming did, and the zip's measurements. */
interface LayerRecord extends Measured {
  slimLog: SlimLog;
}

function isLayerRecord(value: unknown): value is LayerRecord {
  if (!isObject(value) || !isSlimLog(value['slimLog']) || !Array.isArray(value['dists'])) return false;
  const sizes = value['sizes'];
  return isObject(sizes) && typeof sizes['sha256'] === 'string' && Number.isSafeInteger(sizes['unzippedBytes']) && Array.isArray(sizes['packages']);
}

/** Written beside each built layer, so `check` knows its key and what slimming did. */
interface BuildRecord {
  key: string;
  slimLog: SlimLog;
}

export interface LayerBuild {
  plan: LayerPlan;
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
  const warnings = [...plan.warnings];
  const zipFile = `${root}.zip`;
  let cacheHit = false;
  let slimLog: SlimLog;
  let measured: Measured;
  if (build.mode === 'build') {
    await mkdir(root, { recursive: true });
    const unit = {
      label: `layer ${plan.spec.name}`,
      requirementsFile: plan.spec.requirementsFile,
      requirements: plan.requirements,
      platform: plan.platform,
      constraints,
      constraintsFrom: below.map((l) => `layer ${l.report.name}`).join(', '),
      key,
      siteDir: path.join(root, 'python')
    };
    // The finished layer is cached: its folder, its zip and its measurements, so a hit re-does nothing.
    let record: LayerRecord;
    ({ cacheHit, meta: record } = await cachedStep(
      { label: unit.label, key, paths: { tree: unit.siteDir, files: { 'layer.zip': zipFile } }, isMeta: isLayerRecord },
      ctx,
      async () => {
        await installRequirements(unit, ctx);
        const log = await slimSite({
          siteDir: unit.siteDir,
          settings: slim.slim,
          provided: below.map((l) => ({ layer: l.report.name, names: l.dists.map((d) => d.name) })),
          lowerSites: below.map((l) => ({ layer: l.report.name, siteDir: path.join(l.root, 'python') })),
          python: slim.pythonFor(plan.platform),
          deployedAt: '/opt/python',
          pythonVersion: plan.platform.pythonVersion,
          strip: slim.strip
        });
        return { slimLog: log, ...(await measureArtifact({ root, sitePrefix: 'python/', zipFile }, build.outDir, true)) };
      }
    ));
    ({ slimLog, ...measured } = record);
    await writeFile(recordFile, JSON.stringify({ key, slimLog } satisfies BuildRecord));
  } else {
    const text = await readFile(recordFile, 'utf8').catch(() => undefined);
    if (text === undefined) throw new InputError(`no build of layer ${plan.spec.name} in ${build.outDir}: run lambda-layers build first`);
    const record = JSON.parse(text) as BuildRecord;
    if (record.key !== key) warnings.push('the build is stale: what decides this layer changed since it was built');
    slimLog = record.slimLog;
    measured = await measureArtifact({ root, sitePrefix: 'python/', zipFile }, build.outDir, false);
  }
  const { sizes, dists } = measured;
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
