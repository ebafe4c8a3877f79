import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { reportKeyFor } from '../../src/cache/base-report-store.js';
import { markerFor } from '../../src/pr/size-markdown.js';
import { runnerCacheEnv, startCacheServer, type CacheServer } from '../helpers/cache-server.js';
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js';
import { MOTO_REGION, startMoto, type MotoServer } from '../helpers/moto-server.js';
import { runAction } from '../helpers/run-action.js';
import { makeSampleApp, REPO_ROOT, type SampleApp } from '../helpers/sample-app.js';
import {
  actionDefaults,
  artifactStore,
  runWorkflow,
  type StepRun,
  type WorkflowContext,
  type WorkflowEvent
} from '../helpers/workflow-runner.js';

/**
 * Each workflow of docs/workflows, run in the events it is triggered by against the local stand-ins
 * (GitHub API, cache service, moto): its steps do what the workflow says they do.
 */
const MAIN = '1'.repeat(40); // the default branch, measured by a push
const HEAD = '2'.repeat(40); // the pull request's head
const MERGE = '3'.repeat(40); // its merge ref: what github.sha is on pull_request
const TAG = '4'.repeat(40);
const REPOSITORY = { full_name: 'o/r', default_branch: 'main' };
const MARKER = markerFor('lambda-layers');

const push = (ref: string, sha: string): WorkflowEvent => ({ name: 'push', sha, ref, payload: { ref, repository: REPOSITORY } });
const PULL_REQUEST: WorkflowEvent = {
  name: 'pull_request',
  sha: MERGE,
  ref: 'refs/pull/7/merge',
  payload: {
    number: 7,
    repository: REPOSITORY,
    pull_request: { number: 7, head: { sha: HEAD, repo: REPOSITORY }, base: { sha: MAIN, repo: REPOSITORY } }
  }
};
const workflowRun = (event: string): WorkflowEvent => ({
  name: 'workflow_run',
  sha: MAIN,
  ref: 'refs/heads/main',
  payload: { repository: REPOSITORY, workflow_run: { id: 1, event, head_sha: HEAD } }
});

let app: SampleApp;
let github: GitHubServer;
let cache: CacheServer;
let moto: MotoServer;
let ctx: WorkflowContext;
const ran = new Set<string>();

beforeAll(async () => {
  [app, github, cache, moto] = await Promise.all([makeSampleApp(), startGitHubServer(), startCacheServer(), startMoto()]);
  github.state.parents[MERGE] = [MAIN, HEAD];
  github.state.mergeBases[`${MAIN}...${HEAD}`] = MAIN;
  github.state.pulls[7] = { headSha: HEAD, baseSha: MAIN };
  ctx = {
    app,
    env: { ...runnerCacheEnv(cache.url, app.base, path.join(app.base, 'local-cache')), GITHUB_API_URL: github.url },
    awsEnv: (region) => moto.env(region),
    artifacts: await artifactStore(app.base),
    vars: { AWS_PUBLISH_ROLE_ARN: 'arn:aws:iam::123456789012:role/publisher', LAYER_ARTIFACT_BUCKET: 'artifacts' }
  };
});
afterAll(async () => {
  await Promise.all([github.close(), cache.close(), moto.stop()]);
  await rm(app.base, { recursive: true, force: true });
});

async function run(file: string, event: WorkflowEvent): Promise<StepRun[]> {
  ran.add(file);
  return runWorkflow(`docs/workflows/${file}`, event, ctx);
}
/** This action's steps, each of which must have passed. */
const actionSteps = (runs: StepRun[]) => runs.filter((r) => r.action);
const passed = (runs: StepRun[]) => actionSteps(runs).map((r) => [r.inputs?.['command'], r.action?.code]);
const ours = () => github.state.comments.filter((c) => c.body.startsWith(MARKER));

test('sizes.yml, push to the default branch: builds and stores the baseline, uploads nothing', async () => {
  const runs = await run('sizes.yml', push('refs/heads/main', MAIN));
  expect(passed(runs)).toEqual([['build', 0]]);
  expect([...cache.entries.values()].some((e) => e.finalized && e.key === reportKeyFor('lambda-layers', MAIN))).toBe(true);
  expect(await readdir(ctx.artifacts)).toEqual([]);
  expect(await run('sizes.yml', push('refs/heads/feature', MAIN))).toEqual([]);
});

test('sizes.yml, pull request: builds the head, posts nothing (read-only token), uploads the report and the PR number', async () => {
  const runs = await run('sizes.yml', PULL_REQUEST);
  expect(passed(runs)).toEqual([['build', 0]]);
  expect(actionSteps(runs)[0]?.action?.outputs['head-sha']).toBe(HEAD);
  expect(github.state.comments).toEqual([]);
  expect(await readFile(path.join(ctx.artifacts, 'lambda-sizes/pr-number'), 'utf8')).toBe('7\n');
  expect(JSON.parse(await readFile(path.join(ctx.artifacts, 'lambda-sizes/report.json'), 'utf8'))).toMatchObject({ withinLimits: true });
});

test('sizes-comment.yml, workflow_run: posts the downloaded report on the pull request, against the baseline', async () => {
  expect(await run('sizes-comment.yml', workflowRun('push'))).toEqual([]);
  const runs = await run('sizes-comment.yml', workflowRun('pull_request'));
  expect(passed(runs)).toEqual([['comment', 0]]);
  expect(actionSteps(runs)[0]?.inputs).toMatchObject({ 'pr-number': '7', 'head-sha': HEAD });
  expect(actionSteps(runs)[0]?.action?.stdout).not.toContain('pip install');
  expect(ours()).toHaveLength(1);
  expect(ours()[0]?.body).toContain('| Predict |');
  expect(ours()[0]?.body).not.toContain('Baseline unavailable');
});

test('sizes-matrix.yml, pull request: one job per layer, then the merge job posts the one comment', async () => {
  // The workflow names the bundled example's layers; the test app's are these.
  const runs = await runWorkflow('docs/workflows/sizes-matrix.yml', PULL_REQUEST, { ...ctx, matrix: { layer: ['CoreLayer', 'MlLayer'] } });
  ran.add('sizes-matrix.yml');
  expect(passed(runs)).toEqual([
    ['build', 0],
    ['build', 0],
    ['merge', 0]
  ]);
  expect(actionSteps(runs).map((r) => r.inputs?.['layers'])).toEqual(['CoreLayer', 'MlLayer', '']);
  expect(await readdir(path.join(app.repo, 'reports'))).toEqual(['lambda-report-CoreLayer', 'lambda-report-MlLayer']);
  expect(ours()).toHaveLength(1);
  expect(ours()[0]?.body).toContain('| CoreLayer |');
  expect(ours()[0]?.body).toContain('| MlLayer |');
});

test('release.yml: nothing on a branch push; on a v* tag it publishes every layer', async () => {
  expect(await run('release.yml', push('refs/heads/main', MAIN))).toEqual([]);
  const runs = await run('release.yml', push('refs/tags/v1.0.0', TAG));
  expect(passed(runs)).toEqual([['publish', 0]]);
  expect(Object.keys(JSON.parse(actionSteps(runs)[0]?.action?.outputs['layer-arns'] ?? '{}') as object).sort()).toEqual([
    'ml',
    'my-app-core'
  ]);
  const env = moto.env();
  const lambda = new LambdaClient({
    region: MOTO_REGION,
    endpoint: moto.url,
    credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID']!, secretAccessKey: env['AWS_SECRET_ACCESS_KEY']! }
  });
  const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'my-app-core' }));
  lambda.destroy();
  expect(versions.LayerVersions).toHaveLength(1);
});

test('a plain build step on a v* tag only builds: publishing is opt-in (no AWS region needed)', async () => {
  // The inputs the runner passes a step that sets none: action.yml's defaults.
  const inputs: Record<string, string> = { ...(await actionDefaults()), 'github-token': 't' };
  expect(inputs['publish-on']).toBe('');
  const build = await runAction(app, inputs, { ...ctx.env, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v2.0.0', GITHUB_SHA: TAG });
  expect(build.code).toBe(0);
  expect(build.outputs['layer-arns']).toBeUndefined();
  expect(build.stdout).not.toContain('::error');
});

test('sizes-arm64.yml, pull request: builds (here on this machine, as on the arm64 runner), says how far each function was verified', async () => {
  const runs = await run('sizes-arm64.yml', PULL_REQUEST);
  expect(passed(runs)).toEqual([['build', 0]]);
  const report = JSON.parse(await readFile(path.join(ctx.artifacts, 'lambda-sizes-arm64/report.json'), 'utf8')) as {
    functions: Array<{ verification: { level?: string } }>;
  };
  // The sample app's functions are for this machine's CPU: verified on it.
  expect(report.functions.map((f) => f.verification.level)).toEqual(report.functions.map(() => 'target-cpu'));
  expect(github.state.comments.filter((c) => c.body.startsWith(MARKER) && c.body.includes('arm64'))).toEqual([]);
});

test('every documented workflow was run', async () => {
  const documented = (await readdir(path.join(REPO_ROOT, 'docs/workflows'))).filter((f) => f.endsWith('.yml'));
  expect([...ran].sort()).toEqual(documented.sort());
});
