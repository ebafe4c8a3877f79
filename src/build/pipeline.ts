import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildCache } from '../cache/folder-cache.js';
import type { LoadedApp } from '../template/load-app.js';
import { buildFunction } from './build-function.js';
import { outPath, workDirOf } from './out-paths.js';
import { withOutputLock } from './out-lock.js';
import { removeLeftovers, writeFileAtomically } from '../shared/atomic.js';
import { removedAfter } from '../shared/interrupt.js';
import { alive } from '../shared/pids.js';
import { buildLayer, type BuiltLayer, type LowerLayer } from './build-layer.js';
import type { Distribution } from '../artifact/distributions.js';
import type { InstallContext } from '../install/install-requirements.js';
import { selectLayers } from '../plan/layer-filter.js';
import { checkLayer, DEFAULT_MEMORY_MB } from '../lambda/limits.js';
import type { Logger } from '../shared/logger.js';
import { evaluateMarkers } from '../install/evaluate-markers.js';
import { selectInstaller } from '../install/choose-installer.js';
import { planBuild, slimSettings } from '../plan/plan.js';
import { platformFor } from '../lambda/platform.js';
import { REPORT_VERSION, type FunctionReport, type Report } from '../report/report.js';
import { applyBudgets, budgetTargets, overBudget } from '../report/budgets.js';
import type { Settings } from '../settings/settings.js';
import { keptForOtherStacks } from '../plan/layer-stacking.js';
import { prepareSlimContext } from '../slim/slim-context.js';
import { TOOL } from '../shared/tool.js';
import type { Tools } from '../tools/tools.js';
import { formatBytes } from '../shared/units.js';
import { InputError } from '../shared/errors.js';
import { eventsFor, type FunctionEvents } from '../invoke/events.js';
import { DEFAULT_REGION } from '../template/parameters.js';
import { invokeStep, Runtimes } from './invoke-step.js';
import type { Clock } from '../shared/stopwatch.js';
import { runTasks, type Task } from '../shared/task-graph.js';
import os from 'node:os';

export interface PipelineDeps {
  logger: Logger;
  cache: BuildCache;
  today: Date;
  /** pip, the runtimes' Pythons and strip: the front doors pass the real ones, tests fakes. */
  tools: Tools;
  /** The front door's environment: the region and library path invoked functions see. */
  env: NodeJS.ProcessEnv;
  /** Times each phase of each layer and function, and the whole build, for the report. */
  clock: Clock;
}

/** `build` installs, packages and zips; `check` re-measures what an earlier build left in the output folder. */
export type Mode = 'build' | 'check';

/**
 * The engine behind both front doors: template in, report out (written to settings.reportFile). It holds the
 * output folder's lock throughout (check too, when there is a folder to check), and the old report goes first:
 * a run that does not finish leaves no report claiming what it did not build.
 */
export async function runPipeline(settings: Settings, loaded: LoadedApp, mode: Mode, deps: PipelineDeps): Promise<Report> {
  const run = async () => {
    await rm(settings.reportFile, { force: true });
    const out = settings.outDir;
    // Where a killed writer may have left a temporary file: beside each artifact (nested IDs' folders too), and the report.
    const artifacts = [
      ...loaded.app.layers.map((l) => outPath(out, 'layers', l.name).zip),
      ...loaded.app.functions.map((f) => outPath(out, 'functions', f.name).zip)
    ];
    const folders = new Set([out, path.dirname(settings.reportFile), ...artifacts.map((zip) => path.dirname(zip))]);
    await removeLeftovers([...folders], alive);
    // Its scratch folder goes whatever happens: a failure, or a signal.
    return removedAfter(workDirOf(out), () => pipeline(settings, loaded, mode, deps));
  };
  return mode === 'build' || existsSync(settings.outDir) ? withOutputLock(settings.outDir, run) : run();
}

/** A promise settled from outside, once; a rejection nobody awaits is not an unhandled one. */
function settleLater<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Budgets and the memory share, once everything is measured; each outcome logged at its resource's template line. */
function checkBudgets(built: Report, loaded: LoadedApp, logger: Logger): Report {
  const { config, app } = loaded;
  const report = applyBudgets(built, budgetTargets(config.budgets, app.layers, app.functions), config.memoryWarnPercent);
  const at = new Map([...app.layers, ...app.functions].map((s) => [s.name, s.location]));
  const added = (f: FunctionReport) => f.warnings.slice(built.functions.find((b) => b.name === f.name)?.warnings.length);
  for (const f of report.functions) for (const w of added(f)) logger.warning(`function ${f.name}: ${w}`, at.get(f.name));
  for (const over of overBudget(report)) {
    const line = `${over.kind} ${over.name} is over budget: ${over.message}`;
    if (over.onOver === 'fail') logger.error(line, at.get(over.name));
    else logger.warning(`${line} (budget policy warn)`, at.get(over.name));
  }
  return report;
}

async function pipeline(settings: Settings, loaded: LoadedApp, mode: Mode, deps: PipelineDeps): Promise<Report> {
  const { logger, clock } = deps;
  const buildStarted = clock();
  const pip = deps.tools.pip(settings.python);
  const platforms = [...loaded.app.layers, ...loaded.app.functions].map((spec) =>
    platformFor(spec.runtime, spec.architecture, spec.location)
  );
  // Independent questions to programs on this machine, each a process start: asked at once, their answers
  // awaited in order, so a failure is the one a run one after another would have met first.
  const installerAsked = selectInstaller(settings.installer, pip, settings.python, deps.tools, platforms, loaded.config.pipArgs, logger);
  const markersAsked = evaluateMarkers(pip, loaded.files.texts, platforms);
  const slimAsked = prepareSlimContext(platforms, slimSettings(loaded.config, settings), loaded.config.pythons, deps.tools);
  for (const asked of [markersAsked, slimAsked]) asked.catch(() => undefined);
  const installWith = await installerAsked;
  const installer = installWith.identity;
  const markers = await markersAsked;
  const slim = await slimAsked;
  const plan = planBuild(loaded.app, loaded.files.texts, loaded.config, settings, installer, deps.today, slim.processing, markers);
  const selection = selectLayers(settings.layers, plan.stacking, plan.slim.enabled);
  const skipped = [...loaded.app.skipped, ...selection.skippedFunctions.values()];
  for (const reason of skipped) logger.info(`skipped ${reason}`);
  if (loaded.app.layers.length === 0 && loaded.app.functions.length === 0) {
    logger.info('nothing to build: the template has no Python function or layer with local code');
  }
  const ctx: InstallContext = {
    pip,
    installWith,
    make: deps.tools.make,
    installer: plan.installer,
    pipArgs: plan.pipArgs,
    allowSdist: plan.allowSdist,
    cache: deps.cache,
    logger,
    workDir: workDirOf(settings.outDir)
  };

  // Events are found and read before anything is built: a bad event file fails fast.
  const events = new Map<string, FunctionEvents>();
  if (mode === 'build') {
    const configured = loaded.config.events;
    for (const name of Object.keys(configured ?? {})) {
      if (!loaded.app.functions.some((f) => f.name === name)) {
        const known = loaded.app.functions.map((f) => f.name).join(', ') || 'none';
        // Located at its first entry: the config file's reader keeps the lines of entries.
        throw new InputError(
          `events: the template has no Python function ${JSON.stringify(name)} (its functions: ${known})`,
          configured?.[name]?.[0]?.where ?? { file: settings.configFile ?? settings.templateFile }
        );
      }
    }
    for (const fnPlan of plan.functions) {
      if (selection.skippedFunctions.has(fnPlan.spec.name)) continue;
      const found = await eventsFor(
        fnPlan.spec,
        configured,
        path.dirname(settings.templateFile),
        settings.workingDirectory,
        settings.configFile
      );
      events.set(fnPlan.spec.name, found);
    }
  }
  const runtimes = new Runtimes(
    {
      tools: deps.tools,
      pipPython: settings.python,
      cacheDir: settings.cacheDir,
      pipArgs: plan.pipArgs,
      workDir: ctx.workDir
    },
    slim.pythonFor
  );
  const { env } = deps;

  const layers = new Map<string, BuiltLayer>();
  const builtLayers = [...selection.built].filter((name) => plan.layers.some((l) => l.spec.name === name));
  // Each layer as a lower one: its distributions as soon as its install tells them, its folder once finished. A
  // layer above waits for the first to install and for the second to slim, so it installs while this one slims.
  // A layer takes a slot once its lower layers' installs are done; it may then hold the slot waiting for their
  // finished folders, but those layers are running by then (they told their distributions), so nothing deadlocks.
  const lower = new Map(
    builtLayers.map((name) => [name, { dists: settleLater<readonly Distribution[]>(), finished: settleLater<BuiltLayer>() }])
  );
  const layerTasks = builtLayers.map((name, index): Task<BuiltLayer> => {
    const layerPlan = plan.layers.find((l) => l.spec.name === name)!;
    const own = lower.get(name)!;
    // Naive builds (slim off) stay as pip left them: no constraints from, nor dedupe against, lower layers.
    const belowNames = (plan.slim.enabled ? (plan.stacking.commonBelow.get(name) ?? []) : []).filter((b) => lower.has(b));
    const belowDists = Promise.all(belowNames.map((b) => lower.get(b)!.dists.promise));
    return {
      id: `layer ${name}`,
      after: [],
      ready: belowDists,
      run: async (taskLogger) => {
        try {
          const dists = await belowDists;
          const below = belowNames.map((b, i): LowerLayer => ({ name: b, dists: dists[i]!, finished: lower.get(b)!.finished.promise }));
          const started = clock();
          const role = selection.reported.has(name) ? '' : ' (below a layer of this job)';
          taskLogger.info(
            `[${index + 1}/${builtLayers.length}] layer ${name} (${layerPlan.platform.runtime}, ${layerPlan.platform.architecture})${role}: ${mode === 'build' ? 'building' : 'checking'}`
          );
          let early: readonly Distribution[] | undefined;
          const built = await buildLayer(
            {
              plan: layerPlan,
              code: loaded.files.layerCode.get(name) ?? [],
              source: loaded.files.sources.get(name),
              notes: loaded.files.notes.get(name) ?? [],
              below,
              onDists: (dists) => own.dists.resolve((early = dists)),
              paths: outPath(settings.outDir, 'layers', name),
              outDir: settings.outDir,
              mode,
              clock
            },
            { ...ctx, logger: taskLogger },
            slim
          );
          const shipped = (dists: readonly Distribution[]) =>
            dists
              .map((d) => `${d.name}==${d.version}`)
              .sort()
              .join(' ');
          // Layers above were installed against what its install said it would ship: a mismatch would make them wrong.
          if (early && shipped(early) !== shipped(built.dists)) {
            throw new Error(
              `layer ${name}: it ships ${shipped(built.dists)}, not ${shipped(early)} as its install said (a bug: please report it)`
            );
          }
          const { report } = built;
          const { beforeBytes, afterBytes } = report.slimming;
          taskLogger.info(
            `      ${formatBytes(report.unzippedBytes)} unzipped${afterBytes < beforeBytes ? ` (from ${formatBytes(beforeBytes)})` : ''}, ` +
              `${formatBytes(report.zippedBytes)} zipped${report.cacheHit ? ', from cache' : ''} in ${((clock() - started) / 1000).toFixed(1)} s`
          );
          const removed = [...report.slimming.removed].sort((a, b) => b.bytes - a.bytes);
          if (removed.length) taskLogger.info(`      removed: ${removed.map((r) => `${r.rule} ${formatBytes(r.bytes)}`).join(', ')}`);
          layers.set(name, built);
          // A rebuilt layer changes what its functions' events depend on: their runtime is set up meanwhile.
          if (!report.cacheHit) for (const platform of eventPlatforms) runtimes.prepare(platform);
          own.dists.resolve(built.dists);
          own.finished.resolve(built);
          return built;
        } catch (error) {
          own.dists.reject(error);
          own.finished.reject(error);
          throw error;
        }
      }
    };
  });
  const functionPlans = plan.functions.filter((f) => !selection.skippedFunctions.has(f.spec.name));
  const eventPlatforms = functionPlans.filter((f) => events.get(f.spec.name)?.events.length).map((f) => f.platform);
  const functionTasks = functionPlans.map((fnPlan): Task<FunctionReport> => ({
    id: `function ${fnPlan.spec.name}`,
    after: fnPlan.layers.flatMap((l) => (l.kind === 'template' ? [`layer ${l.layer.spec.name}`] : [])),
    run: async (taskLogger) => {
      const report = await buildFunction(
        {
          plan: fnPlan,
          code: loaded.files.code.get(fnPlan.spec.name) ?? [],
          source: loaded.files.sources.get(fnPlan.spec.name),
          notes: loaded.files.notes.get(fnPlan.spec.name) ?? [],
          layers,
          paths: outPath(settings.outDir, 'functions', fnPlan.spec.name),
          outDir: settings.outDir,
          cacheDir: settings.cacheDir,
          limits: loaded.config.limits,
          mode,
          clock
        },
        { ...ctx, logger: taskLogger },
        slim
      );
      for (const warning of report.warnings) taskLogger.warning(`function ${report.name}: ${warning}`, fnPlan.spec.location);
      for (const violation of report.violations) taskLogger.error(violation, fnPlan.spec.location);
      const found = events.get(fnPlan.spec.name);
      if (found) {
        const started = clock();
        const stack = fnPlan.layers.flatMap((l) => (l.kind === 'template' ? (layers.get(l.layer.spec.name) ?? []) : []));
        report.invocations = await invokeStep(fnPlan, report, stack, found, runtimes, {
          outDir: settings.outDir,
          region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION,
          logger: taskLogger,
          cache: deps.cache,
          hostEnv: env
        });
        if (report.invocations.status === 'ran') report.timings = { ...report.timings, invoke: Math.round(clock() - started) };
      }
      return { ...report, memorySizeMB: fnPlan.spec.memorySize ?? DEFAULT_MEMORY_MB };
    }
  }));
  // Independent layers, and functions whose layers are built, side by side: a core each (each step is mostly one
  // process: pip, an import check, a cold start; one more task per core measured no faster), capped at 4.
  let done: Map<string, BuiltLayer | FunctionReport>;
  try {
    done = await runTasks<BuiltLayer | FunctionReport>([...layerTasks, ...functionTasks], Math.min(os.availableParallelism(), 4), logger);
  } finally {
    await runtimes.settled();
  }
  const functions = functionTasks.map((t) => done.get(t.id) as FunctionReport);
  for (const layerPlan of plan.layers) {
    const built = selection.reported.has(layerPlan.spec.name) ? layers.get(layerPlan.spec.name) : undefined;
    if (!built) continue;
    const { report } = built;
    report.violations.push(...checkLayer(report.name, report.unzippedBytes, report.packages, loaded.config.limits));
    report.warnings.push(
      ...keptForOtherStacks(
        report.name,
        plan.stacking.stacks,
        plan.stacking.sometimesBelow.get(report.name) ?? [],
        (lower) => layers.get(lower)?.dists.map((d) => d.name) ?? [],
        built.dists.map((d) => d.name)
      )
    );
    for (const warning of report.warnings) logger.warning(`layer ${report.name}: ${warning}`, layerPlan.spec.location);
    for (const violation of report.violations) logger.error(violation, layerPlan.spec.location);
  }

  // Reported in the template's order, whatever order they were built in.
  const layerReports = plan.layers.flatMap((l) => (selection.reported.has(l.spec.name) ? (layers.get(l.spec.name)?.report ?? []) : []));
  const built: Report = {
    version: REPORT_VERSION,
    tool: { ...TOOL },
    template: path.relative(settings.workingDirectory, settings.templateFile).split(path.sep).join('/'),
    limits: loaded.config.limits,
    layers: layerReports,
    functions,
    withinLimits: layerReports.every((l) => l.violations.length === 0) && functions.every((f) => f.withinLimits),
    verified: functions.every((f) => f.verification.status !== 'failed'),
    skipped,
    installer,
    totalMs: Math.round(clock() - buildStarted)
  };
  const report = checkBudgets(built, loaded, logger);
  await writeFileAtomically(settings.reportFile, JSON.stringify(report, null, 2) + '\n');
  return report;
}
