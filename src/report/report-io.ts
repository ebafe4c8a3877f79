import { readFile } from 'node:fs/promises';
import { InputError, errorMessage } from '../shared/errors.js';
import { REPORT_VERSION, type Report } from './report.js';

/** A report written by this tool (maybe another run's, maybe downloaded): checked before any number in it is used. */
/** `what` names the input or argument the file came from, for the error message. */
export function parseReport(text: string, file: string, what = 'report'): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what}: not a JSON size report: ${errorMessage(error)}`, { file });
  }
  const report = data as Partial<Report>;
  if (typeof data !== 'object' || data === null || report.version === undefined)
    throw new InputError(`${what}: not a lambda-layers size report (no version)`, { file });
  if (report.version !== REPORT_VERSION)
    throw new InputError(`${what}: report version ${String(report.version)}, this tool reads version ${String(REPORT_VERSION)}`, { file });
  if (!Array.isArray(report.layers) || !Array.isArray(report.functions) || typeof report.limits?.unzippedBytes !== 'number') {
    throw new InputError(`${what}: the report has no layers, functions or limits`, { file });
  }
  return report as Report;
}

export async function readReport(file: string, what = 'report'): Promise<Report> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new InputError(`${what}: file not found`, { file });
  });
  return parseReport(text, file, what);
}
