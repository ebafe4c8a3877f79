import * as core from '@actions/core';
import path from 'node:path';
import { InputError, LocatedError, type SourceLocation, errorMessage } from '../shared/errors.js';
import { buildCacheFor, runnerCacheService, type CacheService } from '../cache/actions-cache.js';
import { restoreBaseReport, storeBaseReportOnPush } from '../cache/base-report-store.js';
import { resolveGitHubSettings } from '../settings/pr-settings.js';
import { restorePipCache } from '../cache/pip-cache.js';
import { reportToGitHub } from '../pr/report-to-github.js';
import type { Logger } from '../shared/logger.js';
import { mergeReportFiles } from '../report/merge-files.js';
import { runPipeline } from '../build/pipeline.js';
import { renderOverridesSummary, renderRollbackSummary } from '../rollback/render-rollback.js';
import { renderPublishSummary } from '../publish/render-publish.js';
import { checkPublishNames, isReleaseRun, resolvePublishSettings, runPublish, type PublishSettings } from '../publish/run-publish.js';
import { resolveRollbackSettings, runRollback } from '../rollback/run-rollback.js';
import { renderTable } from '../report/render-table.js';
import { readReport } from '../report/report-io.js';
import type { Report } from '../report/report.js';
import { resolveSettings, type Settings } from '../settings/settings.js';
import { systemTools } from '../tools/system-tools.js';

/** Input and output names, as action.yml declares them. */
export const Input = {
  command: 'command',
  template: 'template',
  workingDirectory: 'working-directory',
  out: 'out',
  report: 'report',
  config: 'config',
  cacheDir: 'cache-dir',
  python: 'python',
  allowSdist: 'allow-sdist',
  slim: 'slim',
  bytecode: 'bytecode',
  strip: 'strip',
  slimRemove: 'slim-remove',
  slimKeep: 'slim-keep',
  layers: 'layers',
  reports: 'reports',
  comment: 'comment',
  commentKey: 'comment-key',
  minChangeBytes: 'min-change-bytes',
  minChangePercent: 'min-change-percent',
  failOnIncrease: 'fail-on-increase',
  warnAtLimitPercent: 'warn-at-limit-percent',
  githubToken: 'github-token',
  baseReport: 'base-report',
  prNumber: 'pr-number',
  headSha: 'head-sha',
  region: 'region',
  manifest: 'manifest',
  rollbackMode: 'rollback-mode',
  parameterNames: 'parameter-names',
  stackName: 'stack-name',
  s3Bucket: 's3-bucket',
  updateFunctions: 'update-functions',
  publishOn: 'publish-on',
  keepVersions: 'keep-versions',
  shareWithAccounts: 'share-with-accounts',
  shareWithOrganization: 'share-with-organization'
} as const;

export const Output = {
  report: 'report',
  sizes: 'sizes',
  withinLimits: 'within-limits',
  cacheHits: 'cache-hits',
  commentBody: 'comment-body',
  baseSha: 'base-sha',
  headSha: 'head-sha',
  parameterOverrides: 'parameter-overrides',
  layerArns: 'layer-arns',
  previousLayerArns: 'previous-layer-arns',
  manifest: 'manifest'
} as const;

/** Annotations point at files relative to the workspace, where GitHub shows them. */
function annotation(location?: SourceLocation): core.AnnotationProperties | undefined {
  if (!location) return undefined;
  const root = process.env['GITHUB_WORKSPACE'] || process.cwd();
  return { file: path.relative(root, location.file), startLine: location.line };
}

const actionsLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message, location) => core.warning(message, annotation(location)),
  error: (message, location) => core.error(message, annotation(location)),
  detail: (title, text) => {
    core.startGroup(title);
    core.info(text.trimEnd());
    core.endGroup();
  }
};

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

/** Appends markdown to the job summary (only on a runner: locally there is no summary file). */
async function addSummary(markdown: string): Promise<void> {
  if (process.env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(markdown).write();
}

/** `command: rollback`: the functions back on the previous layer versions, or the ARNs printed. */
async function rollback(): Promise<void> {
  const mode = core.getInput(Input.rollbackMode) || 'update';
  if (mode !== 'update' && mode !== 'print') throw new InputError(`input ${Input.rollbackMode} must be update or print, got "${mode}"`);
  const settings = resolveRollbackSettings(
    {
      workingDirectory: core.getInput(Input.workingDirectory),
      out: core.getInput(Input.out),
      manifest: core.getInput(Input.manifest),
      region: core.getInput(Input.region),
      print: mode === 'print',
      parameterNames: core.getInput(Input.parameterNames)
    },
    process.cwd(),
    process.env,
    Input.parameterNames
  );
  const result = await runRollback(settings, process.env, actionsLogger);
  if (result.mode === 'print') {
    core.setOutput(Output.parameterOverrides, result.overrides.join(' '));
    await addSummary(renderOverridesSummary(result.overrides, settings.manifestFile));
    return;
  }
  await addSummary(renderRollbackSummary(result.outcome, settings.manifestFile));
  if (!result.outcome.ok) core.setFailed('not every function could be rolled back: see the errors above');
}

/** Publishing after a build that passed: ARNs and the manifest as outputs, the manifest in the job summary. */
async function publish(settings: Settings, publishSettings: PublishSettings, report: Report): Promise<void> {
  const result = await runPublish(settings, publishSettings, report, process.env, new Date(), actionsLogger);
  core.setOutput(Output.layerArns, JSON.stringify(result.layerArns));
  core.setOutput(Output.previousLayerArns, JSON.stringify(result.previousLayerArns));
  core.setOutput(Output.manifest, publishSettings.manifestFile);
  await addSummary(renderPublishSummary(result.manifest, publishSettings.manifestFile));
  if (result.failures.length) core.setFailed(`publishing did not complete (re-run to resume): ${result.failures.join('; ')}`);
}

const COMMANDS = ['build', 'check', 'publish', 'rollback', 'merge', 'comment'] as const;
type Command = (typeof COMMANDS)[number];
type ReportCommand = Exclude<Command, 'rollback'>;
const isCommand = (value: string): value is Command => (COMMANDS as readonly string[]).includes(value);

/** The report a command works on: built, re-checked, merged from a matrix's reports, or downloaded. */
async function reportFor(command: ReportCommand, settings: Settings, cacheService: CacheService | undefined): Promise<Report> {
  switch (command) {
    // comment: the posting side of the two-workflow pattern: a downloaded report, nothing built.
    case 'comment':
      return readReport(settings.reportFile, `input ${Input.report}`);
    case 'merge': {
      const patterns = core
        .getInput(Input.reports)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      return mergeReportFiles(patterns, settings.workingDirectory, settings.reportFile, `input ${Input.reports}`);
    }
    default: {
      const mode = command === 'check' ? 'check' : 'build';
      const tools = systemTools(process.env);
      const pipCache = cacheService && mode === 'build' ? await restorePipCache(settings, cacheService, actionsLogger, tools) : undefined;
      const cache = buildCacheFor(settings.cacheDir, cacheService, actionsLogger);
      const report = await runPipeline(settings, mode, { logger: actionsLogger, cache, today: new Date(), tools });
      await pipCache?.save();
      return report;
    }
  }
}

/** The action: inputs into settings, the same engine as the CLI, outputs and annotations out. */
export async function run(): Promise<void> {
  try {
    const command = core.getInput(Input.command) || 'build';
    if (!isCommand(command)) throw new InputError(`input ${Input.command} must be ${COMMANDS.join(', ')}, got "${command}"`);
    if (command === 'rollback') return await rollback();
    const settings = resolveSettings(
      {
        workingDirectory: core.getInput(Input.workingDirectory),
        template: core.getInput(Input.template),
        config: core.getInput(Input.config),
        out: core.getInput(Input.out),
        report: core.getInput(Input.report),
        cacheDir: core.getInput(Input.cacheDir),
        python: core.getInput(Input.python),
        allowSdist: core.getInput(Input.allowSdist),
        slim: core.getInput(Input.slim),
        bytecode: core.getInput(Input.bytecode),
        strip: core.getInput(Input.strip),
        slimRemove: core.getInput(Input.slimRemove),
        slimKeep: core.getInput(Input.slimKeep),
        layers: core.getInput(Input.layers)
      },
      process.cwd(),
      process.env
    );
    const github = resolveGitHubSettings(
      {
        comment: core.getInput(Input.comment),
        commentKey: core.getInput(Input.commentKey),
        minChangeBytes: core.getInput(Input.minChangeBytes),
        minChangePercent: core.getInput(Input.minChangePercent),
        failOnIncrease: core.getInput(Input.failOnIncrease),
        warnAtLimitPercent: core.getInput(Input.warnAtLimitPercent),
        token: core.getInput(Input.githubToken),
        baseReport: core.getInput(Input.baseReport),
        prNumber: core.getInput(Input.prNumber),
        headSha: core.getInput(Input.headSha)
      },
      settings.workingDirectory
    );
    // command: build publishes too when the run is for a release tag; bad publish input fails before the build.
    const publishing = command === 'publish' || (command === 'build' && isReleaseRun(core.getInput(Input.publishOn), process.env));
    const publishSettings = publishing
      ? resolvePublishSettings(
          {
            region: core.getInput(Input.region),
            stackName: core.getInput(Input.stackName),
            s3Bucket: core.getInput(Input.s3Bucket),
            manifest: core.getInput(Input.manifest),
            updateFunctions: core.getInput(Input.updateFunctions),
            keepVersions: core.getInput(Input.keepVersions),
            shareWithAccounts: core.getInput(Input.shareWithAccounts),
            shareWithOrganization: core.getInput(Input.shareWithOrganization)
          },
          settings,
          process.env,
          Input
        )
      : undefined;
    if (publishSettings) await checkPublishNames(settings, publishSettings);
    // One per run: after an outage it is left alone (see CacheService).
    const cacheService = runnerCacheService(actionsLogger);
    const report = await reportFor(command, settings, cacheService);
    core.info(renderTable(report));
    core.setOutput(Output.report, settings.reportFile);
    core.setOutput(Output.sizes, sizesOutput(report));
    core.setOutput(Output.withinLimits, String(report.withinLimits));
    core.setOutput(Output.cacheHits, JSON.stringify(report.layers.filter((l) => l.cacheHit).map((l) => l.name)));
    const posted = await reportToGitHub(report, settings, github, {
      logger: actionsLogger,
      env: process.env,
      restoreBaseReport: (sha) => restoreBaseReport(cacheService, github.commentKey, sha),
      writeSummary: addSummary
    });
    core.setOutput(Output.commentBody, posted.commentBody);
    if (posted.baseSha) core.setOutput(Output.baseSha, posted.baseSha);
    if (posted.headSha) core.setOutput(Output.headSha, posted.headSha);
    // Only a whole report is a baseline: a matrix job's share is stored by the merge job.
    if (command === 'merge' || (command === 'build' && settings.layers.length === 0)) {
      await storeBaseReportOnPush(cacheService, report, github.commentKey, process.env, actionsLogger);
    }
    // The measuring run fails on sizes; the posting run only posts.
    if (command === 'comment') return;
    if (!report.withinLimits) core.setFailed('over the Lambda size limits: see the errors above');
    else if (!report.verified) core.setFailed('a function failed to import its modules in isolation: see the errors above');
    else if (posted.failure) core.setFailed(posted.failure);
    else if (publishSettings) await publish(settings, publishSettings, report);
  } catch (error) {
    const location = error instanceof LocatedError ? error.location : undefined;
    if (location) core.error(errorMessage(error), annotation(location));
    core.setFailed(errorMessage(error));
  }
}
