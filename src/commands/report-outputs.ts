import { invocationError } from '../build/invoke-step.js';
import { restoreBaseReport, storeBaseReportOnPush } from '../cache/base-report-store.js';
import { reportToGitHub } from '../pr/report-to-github.js';
import type { Report } from '../report/report.js';
import { overBudget } from '../report/budgets.js';
import type { InputSource } from '../settings/inputs.js';
import { resolveGitHubSettings, type GitHubSettings } from '../settings/pr-settings.js';
import type { Settings } from '../settings/settings.js';
import { Output, type CommandDeps, type CommandResult } from './command.js';

/** The sizes output: compact JSON a later step can read with fromJSON(). */
export function sizesOutput(report: Report): string {
  return JSON.stringify({
    layers: Object.fromEntries(
      report.layers.map((l) => [l.name, { unzippedBytes: l.unzippedBytes, zippedBytes: l.zippedBytes, sha256: l.sha256 }])
    ),
    functions: Object.fromEntries(
      report.functions.map((f) => [
        f.name,
        { totalUnzippedBytes: f.totalUnzippedBytes, zippedBytes: f.zippedBytes, withinLimits: f.withinLimits }
      ])
    )
  });
}

/** Why a report fails its run, if it does: the limits first, then verification, then budgets whose policy is fail. */
export function reportFailure(report: Report): string | undefined {
  if (!report.withinLimits) return 'over the Lambda size limits: see the errors above';
  if (!report.verified) return 'a function failed verification (its imports in isolation, or its shared objects): see the errors above';
  const failedEvents = report.functions.flatMap((f) =>
    (f.invocations?.results ?? [])
      .filter((r) => r.status === 'failed')
      .map((r) => `function ${f.name}, event ${r.event}: ${invocationError(r)}`)
  );
  if (failedEvents.length)
    return `${failedEvents.length === 1 ? 'an event' : `${failedEvents.length} events`} failed: ${failedEvents.join('; ')}`;
  const failing = overBudget(report).filter((o) => o.onOver === 'fail');
  if (failing.length) return `over budget (budget policy fail): ${failing.map((o) => `${o.kind} ${o.name} ${o.message}`).join('; ')}`;
  return undefined;
}

/** GitHub settings are bad input on a runner only: locally nothing is posted. Read before anything is built. */
export function gitHubSettingsFor(inputs: InputSource, settings: Settings, deps: CommandDeps): GitHubSettings | undefined {
  return deps.runner ? resolveGitHubSettings(inputs, settings.workingDirectory) : undefined;
}

export interface ReportStep {
  report: Report;
  settings: Settings;
  github: GitHubSettings | undefined;
  resourceLines: ReadonlyMap<string, number>;
  /** A whole report (not a matrix job's share) is stored as the baseline on a push to the default branch. */
  storeAsBase: boolean;
}

/**
 * The outputs every report command sets and, on a runner, the comparison with the base report (job summary,
 * comment, fail-on-increase as `failure`) and the stored baseline.
 */
export async function reportOutputs(step: ReportStep, deps: CommandDeps): Promise<CommandResult> {
  const { report, settings, github } = step;
  const outputs: CommandResult['outputs'] = {
    [Output.report]: settings.reportFile,
    [Output.sizes]: sizesOutput(report),
    [Output.withinLimits]: String(report.withinLimits),
    [Output.cacheHits]: JSON.stringify(report.layers.filter((l) => l.cacheHit).map((l) => l.name))
  };
  if (!deps.runner || !github) return { report, outputs };
  const service = deps.runner.cache;
  const posted = await reportToGitHub(report, settings, github, {
    logger: deps.logger,
    env: deps.env,
    restoreBaseReport: (sha) => restoreBaseReport(service, github.commentKey, sha),
    resourceLines: step.resourceLines
  });
  outputs[Output.commentBody] = posted.commentBody;
  if (posted.baseSha) outputs[Output.baseSha] = posted.baseSha;
  if (posted.headSha) outputs[Output.headSha] = posted.headSha;
  if (step.storeAsBase) await storeBaseReportOnPush(service, report, github.commentKey, deps.env, deps.logger);
  return { report, outputs, summary: posted.summary, ...(posted.failure && { failure: posted.failure }) };
}
