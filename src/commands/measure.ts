import { buildCacheFor } from '../cache/actions-cache.js';
import { restoreInstallerCache, withInstallerCaches } from '../cache/installer-cache.js';
import { runPipeline, type Mode } from '../build/pipeline.js';
import { checkOutputFolders } from '../build/out-paths.js';
import { renderPublishSummary } from '../publish/render-publish.js';
import { checkPublishNames, runPublish, type PublishSettings } from '../publish/run-publish.js';
import type { InputSource } from '../settings/inputs.js';
import type { Settings } from '../settings/settings.js';
import { loadApp } from '../template/load-app.js';
import { readsFunction } from '../plan/layer-filter.js';
import { Output, type CommandDeps, type CommandResult } from './command.js';
import { gitHubSettingsFor, reportFailure, reportOutputs } from './report-outputs.js';

export interface MeasureOptions {
  mode: Mode;
  /** Publish the layers afterwards, if the build passes every gate. */
  publish?: PublishSettings;
  storeAsBase: boolean;
}

/**
 * build, check and publish: load the app once, build (or re-measure) it, report, then publish a build that
 * passed. Failures win in this order: the limits, verification, budgets, fail-on-increase, publishing.
 */
export async function measure(settings: Settings, inputs: InputSource, deps: CommandDeps, options: MeasureOptions): Promise<CommandResult> {
  const { logger } = deps;
  const github = gitHubSettingsFor(inputs, settings, deps);
  const loaded = await loadApp(settings, deps.env, (fn) => readsFunction(settings.layers, fn));
  // Before anything is written: an output or cache folder over the sources would destroy them.
  checkOutputFolders(loaded.app, [
    { label: inputs.label('out'), dir: settings.outDir },
    { label: inputs.label('cache-dir'), dir: settings.cacheDir }
  ]);
  if (options.publish) checkPublishNames(loaded.app, options.publish);
  const service = deps.runner?.cache;
  const cache = buildCacheFor(settings.cacheDir, service, logger);
  // pip's and uv's own caches in the Actions cache: each restored when its installer first runs, kept if it ran.
  const files = { texts: loaded.files.texts, workingDirectory: settings.workingDirectory };
  const installerCaches =
    service && options.mode === 'build'
      ? withInstallerCaches(deps.tools, (installer) => restoreInstallerCache(installer, files, service, logger))
      : undefined;
  const report = await runPipeline(settings, loaded, options.mode, {
    logger,
    cache,
    today: deps.now(),
    tools: installerCaches?.tools ?? deps.tools,
    env: deps.env,
    clock: deps.clock
  });
  await installerCaches?.save();
  const result = await reportOutputs(
    { report, settings, github, resourceLines: loaded.resourceLines, storeAsBase: options.storeAsBase },
    deps
  );
  const failure = reportFailure(report) ?? result.failure;
  if (!options.publish) return { ...result, ...(failure && { failure }) };
  if (failure) return { ...result, failure: `${failure} (nothing published)` };

  const published = await runPublish(loaded.app, settings, options.publish, report, deps.env, deps.now(), logger);
  const manifestFile = options.publish.manifestFile;
  return {
    ...result,
    outputs: {
      ...result.outputs,
      [Output.layerArns]: JSON.stringify(published.layerArns),
      [Output.previousLayerArns]: JSON.stringify(published.previousLayerArns),
      [Output.manifest]: manifestFile
    },
    summary: [result.summary, renderPublishSummary(published.manifest, manifestFile)].filter(Boolean).join('\n'),
    ...(published.failures.length && { failure: `publishing did not complete (re-run to resume): ${published.failures.join('; ')}` })
  };
}
