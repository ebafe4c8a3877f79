import { getOctokit } from '@actions/github';
import type { SourceLocation } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { readReport } from '../report/report-io.js';
import type { Report } from '../report/report.js';
import type { Settings } from '../settings/settings.js';
import { formatBytes, formatCount } from '../shared/units.js';
import type { GitHubSettings } from '../settings/pr-settings.js';
import { fetchPullRequest, loadRunContext, resolveBaseSha, type Octokit, type PullRequest, type RunContext } from './pr-context.js';
import { renderComment } from './render-comment.js';
import { renderSummary } from './render-summary.js';
import { diffReports, hasSignificantChange, significantIncreases, type ReportDiff } from './report-diff.js';
import { upsertStickyComment } from './sticky-comment.js';
import { signedBytes, signedMs, signedPercent } from './verdict.js';
import { errorMessage } from '../shared/errors.js';

export interface GitHubDeps {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** The report stored for a default-branch commit, if any. */
  restoreBaseReport: (sha: string) => Promise<Report | undefined>;
  /** The template line of each resource, for annotations. */
  resourceLines: ReadonlyMap<string, number>;
}

export interface GitHubResult {
  /** The comment's markdown, posted or not (the comment-body output). */
  commentBody: string;
  baseSha?: string;
  headSha?: string;
  /** The job summary's markdown (written by the front door, on a runner). */
  summary: string;
  /** fail-on-increase: what grew. */
  failure?: string;
}

/** The pull request this run comments on: the event's, or the one named by pr-number (a workflow_run job). */
async function pullRequestFor(
  run: RunContext,
  gh: GitHubSettings,
  octokit: Octokit | undefined,
  logger: Logger
): Promise<PullRequest | undefined> {
  if (gh.prNumber === undefined || gh.prNumber === run.pullRequest?.number) return run.pullRequest;
  if (!octokit || !run.repo) return undefined;
  try {
    const pr = await fetchPullRequest(octokit, run.repo, gh.prNumber);
    // pr-number comes from an artifact a fork could write: it must name the PR whose head this run measured.
    if (gh.headSha && pr.headSha !== gh.headSha) {
      logger.warning(
        `pull request #${gh.prNumber} is at ${pr.headSha}, not head-sha ${gh.headSha} (a newer push, or a number that is not this run's): not commenting`
      );
      return undefined;
    }
    return pr;
  } catch (error) {
    logger.warning(`could not read pull request #${gh.prNumber}: ${errorMessage(error)}`);
    return undefined;
  }
}

async function baseReportFor(baseSha: string | undefined, gh: GitHubSettings, deps: GitHubDeps): Promise<Report | undefined> {
  if (gh.baseReport) return readReport(gh.baseReport, 'input base-report');
  if (!baseSha) return undefined;
  try {
    const report = await deps.restoreBaseReport(baseSha);
    if (!report) deps.logger.info(`no size report stored for base ${baseSha}: baseline unavailable`);
    return report;
  } catch (error) {
    deps.logger.warning(`could not restore the base report for ${baseSha}: ${errorMessage(error)}`);
    return undefined;
  }
}

function warnNearLimit(
  diff: ReportDiff,
  gh: GitHubSettings,
  lines: ReadonlyMap<string, number>,
  templateFile: string,
  logger: Logger
): void {
  if (gh.warnAtLimitPercent === undefined) return;
  for (const row of diff.functions) {
    if (row.status === 'removed' || row.overLimit || row.limitPercent < gh.warnAtLimitPercent) continue;
    const at: SourceLocation = { file: templateFile, line: lines.get(row.name) };
    logger.warning(
      `function ${row.name} is at ${row.limitPercent.toFixed(1)}% of the unzipped limit (${formatBytes(row.unzipped.head ?? 0)} of ${formatBytes(diff.limit)}), above warn-at-limit-percent ${gh.warnAtLimitPercent}%`,
      at
    );
  }
}

function warnColdStartGrowth(diff: ReportDiff, lines: ReadonlyMap<string, number>, templateFile: string, logger: Logger): void {
  for (const row of diff.functions) {
    const c = row.run?.coldStartMs;
    if (!c || !row.run?.coldStartGrew) continue;
    logger.warning(
      `function ${row.name}: cold start grew ${signedMs(c.delta)} (${signedPercent(c)}) to ${formatCount(c.head ?? 0)} ms, beyond min-cold-start-change-ms and min-cold-start-change-percent (measured on the build machine)`,
      { file: templateFile, line: lines.get(row.name) }
    );
  }
}

/**
 * After a build (or a merge, or for a downloaded report): compare with the base commit's report, write
 * the job summary, set comment-body, post or update the sticky comment, warn near the limit. GitHub
 * being unreachable or read-only never fails the step; only fail-on-increase does, through `failure`.
 */
export async function reportToGitHub(report: Report, settings: Settings, gh: GitHubSettings, deps: GitHubDeps): Promise<GitHubResult> {
  const { logger, env } = deps;
  const run = await loadRunContext(env);
  const octokit = gh.token && run.repo ? getOctokit(gh.token, { baseUrl: env['GITHUB_API_URL'] || 'https://api.github.com' }) : undefined;
  const pr = await pullRequestFor(run, gh, octokit, logger);
  const headSha = gh.headSha ?? run.sha ?? pr?.headSha;
  let baseSha: string | undefined;
  if (pr && octokit && run.repo && headSha) {
    try {
      baseSha = await resolveBaseSha(octokit, run.repo, pr, headSha);
    } catch (error) {
      logger.warning(`could not find the base commit of #${pr.number}: ${errorMessage(error)}`);
    }
  }
  if (pr)
    logger.info(
      `comparing head ${headSha ?? 'unknown'} with base ${baseSha ?? 'unknown'} (pull request #${pr.number}${pr.fork ? ', from a fork' : ''})`
    );

  const base = await baseReportFor(baseSha, gh, deps);
  // A matrix job's share: compared where it has rows; the merge job posts the comment.
  const partial = settings.layers.length > 0;
  const thresholds = {
    minBytes: gh.minChangeBytes,
    minPercent: gh.minChangePercent,
    minColdStartMs: gh.minColdStartChangeMs,
    minColdStartPercent: gh.minColdStartChangePercent
  };
  const diff = diffReports(base, report, thresholds, partial);
  const ctx = {
    commentKey: gh.commentKey,
    baseSha,
    headSha,
    repoUrl: run.repoUrl,
    runUrl: run.runUrl,
    tool: report.tool,
    warnAtLimitPercent: gh.warnAtLimitPercent
  };
  const body = renderComment(diff, ctx);
  warnNearLimit(diff, gh, deps.resourceLines, settings.templateFile, logger);
  warnColdStartGrowth(diff, deps.resourceLines, settings.templateFile, logger);

  if (partial) logger.info('a share of the layers (input layers): the sizes are in the job summary; the merge job posts the comment');
  else if (pr && octokit && run.repo) {
    try {
      await upsertStickyComment(
        octokit,
        { repo: run.repo, issue: pr.number, commentKey: gh.commentKey, body, mode: gh.comment, changed: hasSignificantChange(diff) },
        logger
      );
    } catch (error) {
      logger.warning(`could not post the size comment on #${pr.number}: ${errorMessage(error)}`);
    }
  }

  const grown = gh.failOnIncrease ? significantIncreases(diff) : [];
  return {
    commentBody: body,
    summary: renderSummary(diff, ctx, report),
    ...(baseSha && { baseSha }),
    ...(headSha && { headSha }),
    ...(grown.length && {
      failure: `unzipped size grew (fail-on-increase): ${grown.map((r) => `${r.kind} ${r.name} ${signedBytes(r.unzipped.delta)} (${signedPercent(r.unzipped)})`).join(', ')}`
    })
  };
}
