import { systemTools } from '../tools/system-tools.js';
import * as core from '@actions/core';
import { runnerCacheService } from '../cache/actions-cache.js';
import { COMMANDS, commandNamed } from '../commands/index.js';
import { renderTable } from '../report/render-table.js';
import { InputError, LocatedError, errorMessage, describeSystemError } from '../shared/errors.js';
import { actionInputs } from './inputs.js';
import { actionsLogger, annotation } from './logger.js';
import { withToolsTemp } from '../shared/scratch.js';

/** The action: inputs → the command → outputs, job summary and the step's result. */
export async function run(): Promise<void> {
  try {
    const inputs = actionInputs();
    const name = inputs.string('command');
    const command = commandNamed(name);
    if (!command) throw new InputError(`${inputs.label('command')} must be ${Object.keys(COMMANDS).join(', ')}, got "${name}"`);
    // One cache service per run: after an outage it is left alone (see CacheService).
    const deps = { logger: actionsLogger, env: process.env, cwd: process.cwd(), now: () => new Date(), clock: () => performance.now() };
    const runner = { cache: runnerCacheService(actionsLogger) };
    const result = await withToolsTemp(process.env, (toolsEnv) => command(inputs, { ...deps, tools: systemTools(toolsEnv), runner }));
    if (result.report) actionsLogger.info(renderTable(result.report));
    for (const [output, value] of Object.entries(result.outputs)) core.setOutput(output, value);
    // Only on a runner: locally there is no summary file.
    if (result.summary && process.env['GITHUB_STEP_SUMMARY']) {
      await core.summary
        .addRaw(result.summary)
        .write()
        .catch((error: unknown) => core.warning(`could not write the job summary: ${errorMessage(error)}`));
    }
    if (result.failure) core.setFailed(result.failure);
  } catch (error) {
    const location = error instanceof LocatedError ? error.location : undefined;
    if (location) core.error(errorMessage(error), annotation(location));
    core.setFailed(describeSystemError(error)?.message ?? errorMessage(error));
  }
}
