import { writeFileAtomically } from '../shared/atomic.js';
import path from 'node:path';
import { InputError } from '../shared/errors.js';
import { filesMatching } from '../artifact/file-tree.js';
import { mergeReports } from './merge.js';
import { readReport } from './report-io.js';
import type { Report } from './report.js';

/** Files named by paths or globs (relative to `cwd`), sorted, each once; a pattern that matches nothing is bad input. */
async function findReportFiles(patterns: readonly string[], cwd: string, what: string): Promise<string[]> {
  if (patterns.length === 0) throw new InputError(`${what}: no report files given`);
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matches = await filesMatching(pattern, cwd);
    if (matches.length === 0) throw new InputError(`${what}: "${pattern}" matches no file`);
    for (const file of matches) files.add(file);
  }
  return [...files].sort();
}

/** Reads a matrix's reports (each checked), merges them and writes the merged report to `out`. */
export async function mergeReportFiles(patterns: readonly string[], cwd: string, out: string, what: string): Promise<Report> {
  const files = await findReportFiles(patterns, cwd, what);
  const parts = await Promise.all(files.map(async (file) => ({ file: path.relative(cwd, file), report: await readReport(file, what) })));
  const report = mergeReports(parts);
  await writeFileAtomically(out, JSON.stringify(report, null, 2) + '\n');
  return report;
}
