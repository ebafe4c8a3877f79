import { existsSync } from 'node:fs';
import os from 'node:os';
import { outPath } from '../build/out-paths.js';
import { invokeFunction } from '../invoke/invoke-function.js';
import { readEvent } from '../invoke/events.js';
import { extractLayers, prepareSandbox } from '../invoke/sandbox.js';
import { functionUnderTest, setUpRuntime } from '../invoke/runtime-setup.js';
import { platformFor } from '../lambda/platform.js';
import { resolveSettings } from '../settings/settings.js';
import { InputError } from '../shared/errors.js';
import { withScratchDir } from '../shared/scratch.js';
import { loadApp } from '../template/load-app.js';
import { DEFAULT_REGION } from '../template/parameters.js';
import { Output, type Command } from './command.js';

/**
 * `invoke <Function> [--event FILE|-]`: runs a built function once, as Lambda runs a cold start, from the zips of
 * the last build: the response is the result's output, the function's logs and Lambda's REPORT line go to the log.
 */
export const invoke: Command = async (inputs, deps) => {
  const { logger } = deps;
  const settings = resolveSettings(inputs, deps.cwd, deps.env);
  const names = inputs.list('function', 'lines');
  if (names.length !== 1) throw new InputError(`${inputs.label('function')}: name one function to invoke, got ${names.length}`);
  const name = names[0]!;
  const loaded = await loadApp(settings, deps.env, (fn) => fn.name === name);
  const spec = loaded.app.functions.find((f) => f.name === name);
  if (!spec) {
    const known = loaded.app.functions.map((f) => f.name).join(', ') || 'none';
    throw new InputError(`no Python function ${JSON.stringify(name)} is built from the template (its functions: ${known})`, {
      file: settings.templateFile
    });
  }
  const eventFile = inputs.string('event');
  const event = await readEvent(eventFile || undefined, settings.workingDirectory);

  const functionZip = outPath(settings.outDir, 'functions', name).zip;
  const layerZips: string[] = [];
  for (const layer of spec.layers) {
    if (layer.kind === 'external') {
      logger.warning(`function ${name}: layer ${layer.ref} is not built here: the function runs without it`, spec.location);
      continue;
    }
    layerZips.push(outPath(settings.outDir, 'layers', layer.name).zip);
  }
  const missing = [functionZip, ...layerZips].filter((zip) => !existsSync(zip));
  if (missing.length) {
    throw new InputError(`${missing.join(', ')} not found: build first (lambda-layers build, with the same --out)`, {
      file: settings.templateFile
    });
  }
  for (const unresolved of spec.environment?.unresolved ?? []) {
    logger.warning(`function ${name}: environment variable ${unresolved} is not set`, spec.location);
  }

  const platform = platformFor(spec.runtime, spec.architecture, spec.location);
  return withScratchDir(os.tmpdir(), 'lambda-layers-invoke-', async (scratch) => {
    const python = await deps.tools.findPython(platform, loaded.config.pythons);
    const runtime = await setUpRuntime(platform, python, {
      tools: deps.tools,
      pipPython: settings.python,
      cacheDir: settings.cacheDir,
      pipArgs: loaded.config.pipArgs,
      workDir: scratch
    });
    if ('missing' in runtime) return { outputs: {}, failure: `cannot invoke ${name}: ${runtime.missing}` };
    if (!runtime.isolation.readOnly)
      logger.warning(`the task root and /opt are writable here (on Lambda they are read-only): ${runtime.isolation.why}`);
    const sandbox = await prepareSandbox(`${scratch}/sandbox`, functionZip, await extractLayers(`${scratch}/opt`, layerZips));
    const outcome = await invokeFunction({
      fn: functionUnderTest(spec, platform),
      sandbox,
      isolation: runtime.isolation,
      python: runtime.python,
      runtimeDir: runtime.runtimeDir,
      runtimePackages: runtime.runtimePackages,
      region: deps.env['AWS_REGION'] || deps.env['AWS_DEFAULT_REGION'] || DEFAULT_REGION,
      event: event.body,
      log: (line) => logger.info(line),
      hostEnv: deps.env
    });
    const response = outcome.payload.toString('utf8');
    return {
      outputs: { [Output.response]: response },
      ...(outcome.error && {
        failure: `function ${name} failed with ${event.label}: ${outcome.error.errorType}: ${outcome.error.errorMessage}`
      })
    };
  });
};
