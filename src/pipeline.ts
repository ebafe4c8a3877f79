import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app-model.js';
import { readAppFiles, type AppFiles } from './app-files.js';
import type { BuildCache } from './build-cache.js';
import { parseTemplate } from './cfn-yaml.js';
import { loadConfig, type FileConfig } from './config-file.js';
import { discoverApp } from './discover.js';
import { overlayDistributions, type Distribution } from './distributions.js';
import { InputError } from './errors.js';
import { installCached, type InstallContext } from './install-requirements.js';
import { checkFunction, checkLayer, type Component } from './limits.js';
import type { Logger } from './logger.js';
import { measureArtifact } from './measure.js';
import { packageFunction } from './package-function.js';
import { installerIdentity } from './pip.js';
import { planBuild, type FunctionPlan, type LayerPlan } from './plan.js';
import { REPORT_VERSION, type FunctionReport, type LayerReport, type Report } from './report.js';
import type { Settings } from './settings.js';
import { TOOL } from './tool.js';
import { formatBytes } from './units.js';

export interface PipelineDeps {
  logger: Logger;
  cache: BuildCache;
  today: Date;
}

/** `build` installs, packages and zips; `check` re-measures what an earlier build left in the output folder. */
export type Mode = 'build' | 'check';

export interface LoadedApp {
  app: App;
  config: FileConfig;
  files: AppFiles;
}

/** Reads and validates everything the build depends on; bad input fails here, before anything is written. */
export async function loadApp(settings: Settings): Promise<LoadedApp> {
  const text = await readFile(settings.templateFile, 'utf8').catch(() => {
    throw new InputError('template not found', { file: settings.templateFile });
  });
  const parsed = parseTemplate(text, settings.templateFile);
  const app = discoverApp(parsed, settings.templateFile, settings.workingDirectory);
  const config = await loadConfig(settings.configFile);
  const files = await readAppFiles(app, new Set([settings.outDir, settings.cacheDir]));
  return { app, config, files };
}

const layerDir = (s: Settings, name: string) => path.join(s.outDir, 'layers', name);
const functionDir = (s: Settings, name: string) => path.join(s.outDir, 'functions', name);

/** A layer as built: its report, and the distributions functions stacked on it see. */
interface BuiltLayer {
  report: LayerReport;
  dists: Distribution[];
}

async function buildLayer(plan: LayerPlan, settings: Settings, mode: Mode, ctx: InstallContext): Promise<BuiltLayer> {
  const root = layerDir(settings, plan.spec.name);
  const keyFile = `${root}.key`;
  const warnings = [...plan.warnings];
  let cacheHit = false;
  if (mode === 'build') {
    ({ cacheHit } = await installCached(
      {
        label: `layer ${plan.spec.name}`,
        requirementsFile: plan.spec.requirementsFile,
        requirements: plan.requirements,
        platform: plan.platform,
        constraints: [],
        key: plan.key,
        siteDir: path.join(root, 'python')
      },
      ctx
    ));
    await writeFile(keyFile, plan.key + '\n');
  } else {
    const builtKey = (await readFile(keyFile, 'utf8').catch(() => undefined))?.trim();
    if (builtKey === undefined) {
      throw new InputError(`no build of layer ${plan.spec.name} in ${settings.outDir}: run lambda-layers build first`);
    }
    if (builtKey !== plan.key) warnings.push('the build is stale: what decides this layer changed since it was built');
  }
  const { sizes, dists } = await measureArtifact({ root, sitePrefix: 'python/', zipFile: `${root}.zip` }, settings.outDir, mode === 'build');
  const report: LayerReport = {
    name: plan.spec.name,
    ...(plan.spec.layerName ? { layerName: plan.spec.layerName } : {}),
    runtime: plan.platform.runtime,
    architecture: plan.platform.architecture,
    buildKey: plan.key,
    cacheHit,
    ...sizes,
    violations: [],
    warnings
  };
  return { report, dists };
}

async function buildFunction(
  plan: FunctionPlan,
  loaded: LoadedApp,
  layers: ReadonlyMap<string, BuiltLayer>,
  settings: Settings,
  mode: Mode,
  ctx: InstallContext
): Promise<FunctionReport> {
  const root = functionDir(settings, plan.spec.name);
  const warnings = [...plan.warnings];
  if (mode === 'build') {
    const stack = plan.layers.flatMap((l) =>
      l.kind === 'template' ? [{ layer: l.layer.spec.name, dists: layers.get(l.layer.spec.name)?.dists ?? [] }] : []
    );
    const { effective, conflicts } = overlayDistributions(stack);
    warnings.push(...conflicts);
    const packaged = await packageFunction(plan, loaded.files.code.get(plan.spec.name) ?? [], effective, root, ctx);
    if (packaged.providedByLayers.length) {
      warnings.push(`left out of the package because its layers provide them: ${packaged.providedByLayers.join(', ')}`);
    }
  }
  const { sizes } = await measureArtifact(
    { root, sitePrefix: '', zipFile: `${root}.zip`, unclaimedLabel: '(function code)' },
    settings.outDir,
    mode === 'build'
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new InputError(`no build of function ${plan.spec.name} in ${settings.outDir}: run lambda-layers build first`);
    throw error;
  });
  const components: Component[] = [
    { label: 'code', unzippedBytes: sizes.unzippedBytes, packages: sizes.packages },
    ...plan.layers.map((l): Component => {
      if (l.kind === 'external') return { label: `layer ${l.ref}`, unzippedBytes: l.unzippedBytes, packages: [] };
      const layer = layers.get(l.layer.spec.name)?.report;
      return { label: `layer ${l.layer.spec.name}`, unzippedBytes: layer?.unzippedBytes, packages: layer?.packages ?? [] };
    })
  ];
  const check = checkFunction(plan.spec.name, components, sizes.zippedBytes, plan.layers.length, loaded.config.limits);
  if (!check.directUpload) {
    warnings.push(`the zip is ${formatBytes(sizes.zippedBytes)}, over the direct-upload limit: it must be deployed through S3 (sam deploy does this)`);
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
    violations: check.violations,
    warnings
  };
}

/** The engine behind both front doors: template in, report out (written to settings.reportFile). */
export async function runPipeline(settings: Settings, mode: Mode, deps: PipelineDeps): Promise<Report> {
  const loaded = await loadApp(settings);
  const installer = await installerIdentity(settings.python);
  const plan = planBuild(loaded.app, loaded.files.texts, loaded.config, settings, installer, deps.today);
  deps.logger.info(`using ${installer}`);
  const { logger } = deps;
  for (const skipped of loaded.app.skipped) logger.info(`skipped ${skipped}`);
  const ctx: InstallContext = {
    python: settings.python,
    installer: plan.installer,
    pipArgs: plan.pipArgs,
    allowSdist: plan.allowSdist,
    cache: deps.cache,
    logger,
    workDir: path.join(settings.outDir, '.work')
  };
  if (mode === 'build') await mkdir(settings.outDir, { recursive: true });

  const layers = new Map<string, BuiltLayer>();
  for (const [index, layerPlan] of plan.layers.entries()) {
    const started = Date.now();
    logger.info(`[${index + 1}/${plan.layers.length}] layer ${layerPlan.spec.name} (${layerPlan.platform.runtime}, ${layerPlan.platform.architecture}): ${mode === 'build' ? 'building' : 'checking'}`);
    const built = await buildLayer(layerPlan, settings, mode, ctx);
    const { report } = built;
    report.violations.push(...checkLayer(report.name, report.unzippedBytes, report.packages, loaded.config.limits));
    for (const warning of report.warnings) logger.warning(`layer ${report.name}: ${warning}`, layerPlan.spec.location);
    for (const violation of report.violations) logger.error(violation, layerPlan.spec.location);
    logger.info(
      `      ${formatBytes(report.unzippedBytes)} unzipped, ${formatBytes(report.zippedBytes)} zipped` +
        `${report.cacheHit ? ', from cache' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );
    layers.set(report.name, built);
  }
  const functions: FunctionReport[] = [];
  for (const fnPlan of plan.functions) {
    const report = await buildFunction(fnPlan, loaded, layers, settings, mode, ctx);
    for (const warning of report.warnings) logger.warning(`function ${report.name}: ${warning}`, fnPlan.spec.location);
    for (const violation of report.violations) logger.error(violation, fnPlan.spec.location);
    functions.push(report);
  }
  await rm(ctx.workDir, { recursive: true, force: true });

  const layerReports = [...layers.values()].map((l) => l.report);
  const report: Report = {
    version: REPORT_VERSION,
    tool: { ...TOOL },
    template: path.relative(settings.workingDirectory, settings.templateFile).split(path.sep).join('/'),
    limits: loaded.config.limits,
    layers: layerReports,
    functions,
    withinLimits: layerReports.every((l) => l.violations.length === 0) && functions.every((f) => f.withinLimits),
    skipped: loaded.app.skipped
  };
  await mkdir(path.dirname(settings.reportFile), { recursive: true });
  await writeFile(settings.reportFile, JSON.stringify(report, null, 2) + '\n');
  return report;
}
