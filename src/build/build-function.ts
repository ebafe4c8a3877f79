import { notBuiltByPip, slimmingReport, type BuiltLayer } from './build-layer.js';
import { shipAsIs } from './ship-as-is.js';
import type { ArtifactSource } from '../template/artifact-source.js';
import { overlayDistributions } from '../artifact/distributions.js';
import type { TreeEntry } from '../artifact/file-tree.js';
import type { InstallContext } from '../install/install-requirements.js';
import { checkFunction, type Component, type Limits } from '../lambda/limits.js';
import { measureArtifact } from '../artifact/measure.js';
import { packageFunction, type PackagedFunction } from './package-function.js';
import type { FunctionPlan } from '../plan/plan.js';
import { OWN_CODE, type FunctionReport, type Phase } from '../report/report.js';
import { Stopwatch, type Clock } from '../shared/stopwatch.js';
import type { SlimContext } from '../slim/slim-context.js';
import { formatBytes } from '../shared/units.js';
import { verifyFunction } from '../verify/verify-function.js';
import type { ArtifactPaths } from './out-paths.js';
import { measureShipped, readBuildRecord, writeBuildRecord, zipRecordOf } from './build-record.js';

export interface FunctionBuild {
  plan: FunctionPlan;
  code: readonly TreeEntry[];
  /** Set when the function is not built by pip (a .zip, SkipBuild, a makefile). */
  source?: ArtifactSource;
  /** What reading its files decided (e.g. a pyproject.toml left alone). */
  notes: readonly string[];
  layers: ReadonlyMap<string, BuiltLayer>;
  paths: ArtifactPaths;
  outDir: string;
  cacheDir: string;
  limits: Limits;
  mode: 'build' | 'check';
  clock: Clock;
}

/** Packages (or re-measures) one function, verifies its stack in isolation, and checks it against the limits. */
export async function buildFunction(build: FunctionBuild, ctx: InstallContext, slim: SlimContext): Promise<FunctionReport> {
  const { plan } = build;
  const { root, zip: zipFile, record: recordFile } = build.paths;
  const warnings = [...plan.warnings, ...build.notes, ...(build.source ? [notBuiltByPip(build.source)] : [])];
  const asIs = build.source?.kind === 'python-uv' ? undefined : build.source;
  let zipped = false;
  const stack = plan.layers.flatMap((l) => {
    const built = l.kind === 'template' ? build.layers.get(l.layer.spec.name) : undefined;
    return built ? [built] : [];
  });
  let verification: FunctionReport['verification'] = { status: 'skipped', reason: 'check re-measures only', modules: 0, failures: [] };
  let slimming: FunctionReport['slimming'];
  let packaged: PackagedFunction | undefined;
  const watch = new Stopwatch<Phase>(build.clock);
  if (build.mode === 'build') {
    const stackDists = stack.map((l) => ({ layer: l.report.name, dists: l.dists }));
    const { effective, conflicts } = overlayDistributions(stackDists);
    warnings.push(...conflicts);
    if (asIs) {
      const location = plan.spec.location;
      const artifact = { name: plan.spec.name, source: asIs, path: plan.spec.codeDir, entries: build.code, root, location };
      ({ zipped } = await watch.time('install', () => shipAsIs({ ...artifact, zipFile, workDir: ctx.workDir, make: ctx.make })));
      packaged = { cacheHit: false };
    } else packaged = await packageFunction(plan, build.code, stackDists, effective, root, ctx, slim, watch);
    if (packaged.slimLog) {
      slimming = slimmingReport(packaged.slimLog);
      if (packaged.slimLog.deduped.length) {
        warnings.push(`left out of the package because its layers provide them: ${packaged.slimLog.deduped.join(', ')}`);
      }
    }
  }
  // Zipped before verification: the zip's hash is part of the verification's cache key (verification writes nothing).
  const measuring = { root, sitePrefix: '', zipFile, unclaimedLabel: OWN_CODE };
  const what = `function ${plan.spec.name}`;
  const { sizes } =
    build.mode === 'build'
      ? await watch.time('zip', () => measureArtifact(measuring, build.outDir, !zipped))
      : await measureShipped(measuring, build.outDir, await readBuildRecord(recordFile, what, build.outDir), what);
  if (build.mode === 'build') await writeBuildRecord(recordFile, { zip: zipRecordOf(sizes) });
  if (packaged) {
    const { slimLog } = packaged;
    verification = await watch.time('verify', () =>
      verifyFunction(plan, root, sizes.sha256, stack, slimLog, slim.pythonFor(plan.platform), ctx, build.cacheDir)
    );
    if (verification.reason) warnings.push(`not verified: ${verification.reason}`);
  }
  const components: Component[] = [
    { label: 'code', unzippedBytes: sizes.unzippedBytes, packages: sizes.packages },
    ...plan.layers.map((l): Component => {
      if (l.kind === 'external') return { label: `layer ${l.ref}`, unzippedBytes: l.unzippedBytes, packages: [] };
      const layer = build.layers.get(l.layer.spec.name)?.report;
      return { label: `layer ${l.layer.spec.name}`, unzippedBytes: layer?.unzippedBytes, packages: layer?.packages ?? [] };
    })
  ];
  const check = checkFunction(plan.spec.name, components, sizes.zippedBytes, plan.layers.length, build.limits);
  if (!check.directUpload) {
    warnings.push(
      `the zip is ${formatBytes(sizes.zippedBytes)}, over the direct-upload limit: it must be deployed through S3 (sam deploy does this)`
    );
  }
  return {
    name: plan.spec.name,
    runtime: plan.platform.runtime,
    architecture: plan.platform.architecture,
    layers: plan.layers.map((l) => (l.kind === 'template' ? l.layer.spec.name : l.ref)),
    codeUnzippedBytes: sizes.unzippedBytes,
    totalUnzippedBytes: check.totalUnzippedBytes,
    zippedBytes: sizes.zippedBytes,
    fileCount: sizes.fileCount,
    sha256: sizes.sha256,
    zipFile: sizes.zipFile,
    packages: sizes.packages,
    directUpload: check.directUpload,
    unknownLayers: check.unknown,
    withinLimits: check.violations.length === 0,
    verification,
    ...(slimming ? { slimming } : {}),
    timings: watch.timings(),
    violations: [
      ...check.violations,
      ...(verification.elf?.problems ?? []).map((p) => `function ${plan.spec.name}: ${p}`),
      ...verification.failures.map(
        (f) =>
          `function ${plan.spec.name}: import ${f.module} failed in isolation: ${f.error}${f.rule ? ` (the file was removed by prune rule "${f.rule}")` : ''}`
      )
    ],
    warnings
  };
}
