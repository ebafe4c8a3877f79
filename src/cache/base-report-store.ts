import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import { parseReport } from '../report/report-io.js';
import type { Report } from '../report/report.js';
import type { CacheService } from './actions-cache.js';
import { loadRunContext } from '../pr/pr-context.js';
import { errorMessage } from '../shared/errors.js';

/**
 * Size reports of default-branch commits, in the GitHub Actions cache: one entry per comment-key
 * and commit SHA. Entries saved on the default branch are readable from every branch and pull
 * request, so a PR run restores its base commit's report by SHA.
 */
export const reportKeyFor = (commentKey: string, sha: string) => `lambda-layers-report-${commentKey}-${sha}`;

/** The same absolute path on save and restore: @actions/cache hashes it into the entry's version. */
const stageFor = (key: string) => path.join(os.tmpdir(), 'lambda-layers-reports', key);
const REPORT_FILE = 'report.json';

export async function saveBaseReport(service: CacheService, report: Report, commentKey: string, sha: string): Promise<boolean> {
  const key = reportKeyFor(commentKey, sha);
  const stage = stageFor(key);
  try {
    await rm(stage, { recursive: true, force: true });
    await mkdir(stage, { recursive: true });
    await writeFile(path.join(stage, REPORT_FILE), JSON.stringify(report));
    return await service.save([stage], key);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** The report stored for a commit, checked like any report file; undefined when there is none. */
export async function restoreBaseReport(service: CacheService | undefined, commentKey: string, sha: string): Promise<Report | undefined> {
  if (!service) return undefined;
  const key = reportKeyFor(commentKey, sha);
  const stage = stageFor(key);
  try {
    await rm(stage, { recursive: true, force: true });
    if ((await service.restore([stage], key)) !== key) return undefined;
    const file = path.join(stage, REPORT_FILE);
    return parseReport(await readFile(file, 'utf8'), `cache entry ${key}`, 'base report');
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/**
 * On a push to the default branch, stores a complete report (not a matrix job's share) as the
 * baseline for pull requests. Never fails the step.
 */
export async function storeBaseReportOnPush(
  service: CacheService | undefined,
  report: Report,
  commentKey: string,
  env: NodeJS.ProcessEnv,
  logger: Logger
): Promise<void> {
  const run = await loadRunContext(env);
  if (!run.defaultBranchPush || !run.sha) return;
  if (!service) {
    logger.info('no GitHub Actions cache service here: the base report is not stored');
    return;
  }
  try {
    if (await saveBaseReport(service, report, commentKey, run.sha))
      logger.info(`stored the size report of ${run.sha} as a baseline (${reportKeyFor(commentKey, run.sha)})`);
  } catch (error) {
    logger.warning(`could not store the size report of ${run.sha} as a baseline: ${errorMessage(error)}`);
  }
}
