import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { measureShipped, readBuildRecord, writeBuildRecord, zipRecordOf } from './build-record.js';
import path from 'node:path';
import { stackedKey, withCode } from '../plan/build-key.js';
import { readDistributions, type Distribution } from '../artifact/distributions.js';
import { cachedStep } from '../cache/cached-step.js';
import { installRequirements, type InstallContext } from '../install/install-requirements.js';
import { measureArtifact, type Measured } from '../artifact/measure.js';
import { isObject } from '../shared/json.js';
import type { LayerPlan } from '../plan/plan.js';
import type { LayerReport, Phase } from '../report/report.js';
import { Stopwatch, type Clock } from '../shared/stopwatch.js';
import type { SlimContext } from '../slim/slim-context.js';
import { emptySlimLog, isSlimLog, type SlimLog } from '../slim/slim-log.js';
import { copyEntries, type TreeEntry } from '../artifact/file-tree.js';
import type { ArtifactSource } from '../template/artifact-source.js';
import { shipAsIs } from './ship-as-is.js';
import type { ArtifactPaths } from './out-paths.js';
import { removedDistributions, slimSite } from '../slim/slim-site.js';

/** A layer as built: its report, what functions stacked on it see, and what slimming removed. */
export interface BuiltLayer {
  report: LayerReport;
  root: string;
  dists: Distribution[];
  slimLog: SlimLog;
}

/** A layer below another, as far as it is known: its distributions (enough to install against), its folder once finished. */
export interface LowerLayer {
  name: string;
  dists: readonly Distribution[];
  /** Awaited only before slimming: dedupe compares against its finished files. */
  finished: Promise<{ root: string }>;
}

/** A finished layer as a lower one. */
export const lowerOf = (built: BuiltLayer): LowerLayer => ({
  name: built.report.name,
  dists: built.dists,
  finished: Promise.resolve(built)
});

/** What the cache keeps with a layer: what slimming did, and the zip's measurements. */
interface LayerRecord extends Measured {
  slimLog: SlimLog;
}

function isLayerRecord(value: unknown): value is LayerRecord {
  if (!isObject(value) || !isSlimLog(value['slimLog']) || !Array.isArray(value['dists'])) return false;
  const sizes = value['sizes'];
  return (
    isObject(sizes) &&
    typeof sizes['sha256'] === 'string' &&
    Number.isSafeInteger(sizes['unzippedBytes']) &&
    Array.isArray(sizes['packages'])
  );
}

export interface LayerBuild {
  plan: LayerPlan;
  /** The layer's folder as `sam build` copies it: shipped under python/, over what pip installed (or as it is). */
  code: readonly TreeEntry[];
  /** Set when the layer is not built by pip (a .zip, SkipBuild, a prebuilt python/ folder, a makefile). */
  source?: ArtifactSource;
  /** What reading its files decided (e.g. a pyproject.toml left alone). */
  notes: readonly string[];
  /** The layers below this one in every stack that uses it: constraints, and left out here. */
  below: readonly LowerLayer[];
  /**
   * Told the distributions this layer will ship as soon as they are known: after its install, before slimming
   * (or once restored). Layers above install against them while this one is slimmed and zipped.
   */
  onDists?: (dists: readonly Distribution[]) => void;
  paths: ArtifactPaths;
  outDir: string;
  mode: 'build' | 'check';
  clock: Clock;
}

/** Builds (or, in check mode, re-measures) one layer: install against the layers below, slim, add its own code, zip, measure. */
export async function buildLayer(build: LayerBuild, ctx: InstallContext, slim: SlimContext): Promise<BuiltLayer> {
  const { plan, below } = build;
  const { root, record: recordFile, zip: zipFile } = build.paths;
  const constraints = below.flatMap((l) => l.dists.map((d) => `${d.name}==${d.version}`));
  // As `sam build` does, the layer's folder is copied over what pip installed; slimmed, it leaves out its
  // requirements.txt (a manifest nothing imports from /opt/python). That code is part of the cached artifact,
  // so its bytes are part of the key.
  const code = slim.slim.enabled ? build.code.filter((e) => e.path !== 'requirements.txt') : build.code;
  const key = withCode(stackedKey(plan.key, constraints), await codeDigest(plan.spec.contentDir, code));
  const warnings = [...plan.warnings, ...build.notes, ...(build.source ? [notBuiltByPip(build.source)] : [])];
  const measuring = { root, sitePrefix: 'python/', zipFile, unclaimedLabel: '(layer code)' };
  const watch = new Stopwatch<Phase>(build.clock);
  let cacheHit = false;
  let slimLog: SlimLog;
  let measured: Measured;
  // python-uv is built by pip like the rest (with a note); the other sources are not pip builds.
  const asIs = build.source?.kind === 'python-uv' ? undefined : build.source;
  if (build.mode === 'build' && asIs) {
    const { zipped } = await watch.time('install', () =>
      shipAsIs({
        name: plan.spec.name,
        source: asIs,
        path: plan.spec.contentDir,
        entries: build.code,
        root,
        zipFile,
        workDir: ctx.workDir,
        make: ctx.make,
        location: plan.spec.location
      })
    );
    slimLog = emptySlimLog(false, 0, 'none');
    measured = await watch.time('zip', () => measureArtifact(measuring, build.outDir, !zipped));
    await writeBuildRecord(recordFile, { key, slimLog, zip: zipRecordOf(measured.sizes) });
  } else if (build.mode === 'build') {
    await mkdir(root, { recursive: true });
    const unit = {
      label: `layer ${plan.spec.name}`,
      requirementsFile: plan.spec.requirementsFile,
      requirements: plan.requirements,
      platform: plan.platform,
      constraints,
      constraintsFrom: below.map((l) => `layer ${l.name}`).join(', '),
      key,
      siteDir: path.join(root, 'python')
    };
    // The finished layer is cached: its folder, its zip and its measurements, so a hit re-does nothing. Nothing
    // writes into a built layer in place (a rebuild empties its folder first, zips are replaced whole), so its
    // files share the cache's bytes (hard links): a hit costs a listing, not a copy.
    let record: LayerRecord;
    ({ cacheHit, meta: record } = await cachedStep(
      { label: unit.label, key, paths: { tree: unit.siteDir, files: { 'layer.zip': zipFile }, shareBytes: true }, isMeta: isLayerRecord },
      { ...ctx, timer: watch },
      async () => {
        let log: SlimLog;
        if (plan.requirements.requirements.length === 0) {
          // A code-only layer: nothing for pip to install.
          await rm(unit.siteDir, { recursive: true, force: true });
          await mkdir(unit.siteDir, { recursive: true });
          log = emptySlimLog(slim.slim.enabled, 0, 'none');
        } else {
          await watch.time('install', () => installRequirements(unit, ctx));
          const provided = below.map((l) => ({ layer: l.name, names: l.dists.map((d) => d.name) }));
          if (build.onDists && !code.some((e) => /\.dist-info\//.test(e.path))) {
            const removed = removedDistributions(provided, slim.slim);
            build.onDists((await readDistributions(unit.siteDir)).filter((d) => !removed.has(d.name)));
          }
          const lowers = await Promise.all(
            below.map(async (l) => ({ layer: l.name, siteDir: path.join((await l.finished).root, 'python') }))
          );
          log = await slimSite({
            siteDir: unit.siteDir,
            settings: slim.slim,
            provided,
            lowerSites: lowers,
            python: slim.pythonFor(plan.platform),
            deployedAt: '/opt/python',
            pythonVersion: plan.platform.pythonVersion,
            strip: slim.stripFor(plan.platform),
            timer: watch
          });
        }
        await copyEntries(plan.spec.contentDir, code, unit.siteDir);
        return { slimLog: log, ...(await watch.time('zip', () => measureArtifact(measuring, build.outDir, true))) };
      }
    ));
    ({ slimLog, ...measured } = record);
    await writeBuildRecord(recordFile, { key, slimLog, zip: zipRecordOf(measured.sizes) });
  } else {
    const what = `layer ${plan.spec.name}`;
    const record = await readBuildRecord(recordFile, what, build.outDir);
    if (record.key !== key) warnings.push('the build is stale: what decides this layer changed since it was built');
    slimLog = record.slimLog ?? emptySlimLog(false, 0, 'none');
    measured = await measureShipped(measuring, build.outDir, record, what);
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
    timings: watch.timings(),
    violations: [],
    warnings: [...warnings, ...slimLog.notes, ...skippedSteps(slimLog)]
  };
  return { report, root, dists, slimLog };
}

/** The sha256 of a layer's own files (path, mode, bytes or link target); undefined when it has none. */
async function codeDigest(dir: string, entries: readonly TreeEntry[]): Promise<string | undefined> {
  if (!entries.length) return undefined;
  const hash = createHash('sha256');
  for (const entry of entries) {
    const content = entry.linkTarget ?? (await readFile(path.join(dir, entry.path)));
    hash.update(`${entry.path}\0${entry.executable ? 'x' : '-'}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
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
    ...log.strip.restored.map((r) => `kept unstripped (stripping broke it): ${r}`)
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
