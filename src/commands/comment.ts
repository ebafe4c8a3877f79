import { readReport } from '../report/report-io.js';
import { resolveSettings } from '../settings/settings.js';
import { readResourceLines } from '../template/load-app.js';
import type { Command } from './command.js';
import { gitHubSettingsFor, reportOutputs } from './report-outputs.js';

/**
 * `comment`: the posting side of the two-workflow pattern: a downloaded report, nothing built. The measuring
 * run fails on sizes; this one only posts, so no failure is returned.
 */
export const comment: Command = async (inputs, deps) => {
  const settings = resolveSettings(inputs, deps.cwd, deps.env);
  const github = gitHubSettingsFor(inputs, settings, deps);
  const report = await readReport(settings.reportFile, inputs.label('report'));
  const resourceLines = await readResourceLines(settings.templateFile);
  const { failure: _ignored, ...result } = await reportOutputs({ report, settings, github, resourceLines, storeAsBase: false }, deps);
  return result;
};
