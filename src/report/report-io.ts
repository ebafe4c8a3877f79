import { readFile } from 'node:fs/promises';
import { InputError, errorMessage } from '../shared/errors.js';
import type { Report } from './report.js';
import { validateReport } from './validate-report.js';

/**
 * A report written by this tool (maybe another run's, maybe downloaded): checked field by field before
 * anything in it is used. `what` names the input or argument the file came from, for the error message.
 */
export function parseReport(text: string, file: string, what = 'report'): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what}: not a JSON size report: ${errorMessage(error)}`, { file });
  }
  return validateReport(data, file, what);
}

export async function readReport(file: string, what = 'report'): Promise<Report> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new InputError(`${what}: file not found`, { file });
  });
  return parseReport(text, file, what);
}
