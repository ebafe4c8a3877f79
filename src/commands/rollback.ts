import { renderOverridesSummary, renderRollbackSummary } from '../rollback/render-rollback.js';
import { resolveRollbackSettings, runRollback } from '../rollback/run-rollback.js';
import { Output, type Command } from './command.js';

/** `rollback`: the functions back on the previous layer versions of a manifest, or those ARNs printed. */
export const rollback: Command = async (inputs, deps) => {
  const settings = resolveRollbackSettings(inputs, deps.cwd, deps.env);
  const result = await runRollback(settings, deps.env, deps.logger);
  if (result.mode === 'print') {
    return {
      outputs: { [Output.parameterOverrides]: result.overrides.join(' ') },
      summary: renderOverridesSummary(result.overrides, settings.manifestFile)
    };
  }
  return {
    outputs: {},
    summary: renderRollbackSummary(result.outcome, settings.manifestFile),
    ...(!result.outcome.ok && { failure: 'not every function could be rolled back: see the errors above' })
  };
};
