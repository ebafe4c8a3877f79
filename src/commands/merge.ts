import { mergeReportFiles } from '../report/merge-files.js';
import { resolveSettings } from '../settings/settings.js';
import { readResourceLines } from '../template/load-app.js';
import type { Command } from './command.js';
import { gitHubSettingsFor, reportFailure, reportOutputs } from './report-outputs.js';

/** `merge`: the reports of a matrix's jobs (each built some layers) into one report, checked like a build's. */
export const merge: Command = async (inputs, deps) => {
  const settings = resolveSettings(inputs, deps.cwd, deps.env);
  const github = gitHubSettingsFor(inputs, settings, deps);
  const patterns = inputs.list('reports', 'lines');
  const report = await mergeReportFiles(patterns, settings.workingDirectory, settings.reportFile, inputs.label('reports'));
  const resourceLines = await readResourceLines(settings.templateFile);
  const result = await reportOutputs({ report, settings, github, resourceLines, storeAsBase: true }, deps);
  const failure = reportFailure(report) ?? result.failure;
  return { ...result, ...(failure && { failure }) };
};
