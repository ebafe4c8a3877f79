import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { markerFor } from '../../src/pr/size-markdown.js';
import type { Report } from '../../src/report/report.js';
import { seedComment, startGitHubServer, type GitHubServer } from '../helpers/github-server.js';
import { runAction } from '../helpers/run-action.js';
import { makeSampleApp, type SampleApp } from '../helpers/sample-app.js';

const HEAD = 'a'.repeat(40);
const BASE_TIP = 'b'.repeat(40);
const MERGE = 'c'.repeat(40);
const PARENT = 'd'.repeat(40);
const MERGE_BASE = 'e'.repeat(40);
const MARKER = markerFor('lambda-layers');

let app: SampleApp;
let server: GitHubServer;
let files: string;
let report: Report;

/** The runner's environment for a pull_request event on #7 of o/r, with the merge ref checked out. */
async function prEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const event = path.join(files, 'event.json');
  const repository = { full_name: 'o/r', default_branch: 'main' };
  await writeFile(
    event,
    JSON.stringify({
      number: 7,
      repository,
      pull_request: { number: 7, head: { sha: HEAD, repo: { full_name: 'o/r' } }, base: { sha: BASE_TIP, repo: repository } }
    })
  );
  const summary = path.join(files, `summary-${Math.random()}`);
  await writeFile(summary, '');
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: MERGE,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: server.url,
    GITHUB_STEP_SUMMARY: summary,
    ...extra
  };
}

/** A workflow_run job on the default branch: no pull_request in the payload. */
async function workflowRunEnv(): Promise<Record<string, string>> {
  const env = await prEnv({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_SHA: 'f'.repeat(40) });
  await writeFile(
    env['GITHUB_EVENT_PATH']!,
    JSON.stringify({ repository: { full_name: 'o/r', default_branch: 'main' }, workflow_run: { id: 1 } })
  );
  return env;
}

/** The comment command on the built report: the same GitHub path as a build, without re-measuring (fast). */
const post = async (inputs: Record<string, string> = {}, env?: Record<string, string>) =>
  runAction(app, { command: 'comment', report: '.lambda-layers/report.json', 'github-token': 't', ...inputs }, env ?? (await prEnv()));

const ours = () => server.state.comments.filter((c) => c.body.startsWith(MARKER) && c.user.login === 'github-actions[bot]');

beforeAll(async () => {
  app = await makeSampleApp();
  server = await startGitHubServer();
  files = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-gh-'));
  server.state.parents[MERGE] = [PARENT, HEAD];
  server.state.mergeBases[`${BASE_TIP}...${HEAD}`] = MERGE_BASE;
  server.state.pulls[7] = { headSha: HEAD, baseSha: BASE_TIP };
  // Build once; the runs below re-check that build (same report, no pip).
  const first = await runAction(app, { 'github-token': 't' }, await prEnv());
  expect(first.code).toBe(0);
  report = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
});
afterAll(async () => {
  await server.close();
  await rm(app.base, { recursive: true, force: true });
  await rm(files, { recursive: true, force: true });
});

test('a pull_request run posts one comment, a second run updates it; summary, outputs and both SHAs', async () => {
  expect(ours()).toHaveLength(1);
  const env = await prEnv();
  const result = await runAction(app, { command: 'check', 'github-token': 't' }, env);
  expect(result.code).toBe(0);
  expect(ours()).toHaveLength(1);
  expect(server.state.log.filter((l) => l.startsWith('POST /repos/o/r/issues/7/comments'))).toHaveLength(1);
  expect(server.state.log).toContain(`PATCH /repos/o/r/issues/comments/${ours()[0]!.id}`);
  // The merge ref was measured: the base is its first parent.
  expect(result.stdout).toContain(`comparing head ${MERGE} with base ${PARENT} (pull request #7)`);
  expect(result.outputs['base-sha']).toBe(PARENT);
  expect(result.outputs['head-sha']).toBe(MERGE);
  const body = result.outputs['comment-body'] ?? '';
  expect(body.startsWith(MARKER)).toBe(true);
  expect(body).toContain('Baseline unavailable');
  expect(body).toContain('https://github.com/o/r/actions/runs/42');
  expect(ours()[0]!.body).toBe(body);
  const summary = await readFile(env['GITHUB_STEP_SUMMARY']!, 'utf8');
  expect(summary).toContain('| Predict |');
  expect(summary).toContain('| CoreLayer |');
});

test('a base report shows the deltas; fail-on-increase fails the step naming what grew', async () => {
  const base = structuredClone(report);
  base.layers[0]!.unzippedBytes -= 300;
  base.functions.forEach((f) => (f.totalUnzippedBytes -= 300));
  await writeFile(path.join(files, 'base.json'), JSON.stringify(base));
  const result = await runAction(
    app,
    {
      command: 'check',
      'github-token': 't',
      'base-report': path.join(files, 'base.json'),
      'fail-on-increase': 'true',
      'min-change-bytes': '200'
    },
    await prEnv()
  );
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/::error::unzipped size grew \(fail-on-increase\): layer CoreLayer \+300 B .*function Validate \+300 B/);
  expect(ours()).toHaveLength(1);
  expect(ours()[0]!.body).toContain('| CoreLayer | ');
  // The function's row with its share of the limit; the layer's in the folded layer table.
  expect(ours()[0]!.body).toMatch(/\| Validate \| [\d.]+ KiB \| \+300 B \| `░{10}` 0\.0% \|/);
  expect(ours()[0]!.body).toMatch(/\| CoreLayer \| [\d.]+ KiB \| \+300 B \|/);
  expect(ours()[0]!.body).not.toContain('Baseline unavailable');
});

test('a stray duplicate of ours is deleted; a comment by another user with the marker is left alone', async () => {
  const spoof = seedComment(server.state, 7, 'mallory', `${MARKER}\nspoofed`);
  seedComment(server.state, 7, 'github-actions[bot]', `${MARKER}\nduplicate`);
  const result = await post();
  expect(result.code).toBe(0);
  expect(ours()).toHaveLength(1);
  expect(server.state.comments.find((c) => c.id === spoof.id)?.body).toBe(`${MARKER}\nspoofed`);
  expect(result.stdout).toContain('deleted duplicate comment');
});

test('our comment on page 3 of a long thread is found', async () => {
  const before = ours()[0]!.id;
  for (let i = 0; i < 240; i++) seedComment(server.state, 7, 'someone', `chatter ${i}`);
  // Move ours behind the chatter: page 3 at 100 a page.
  const mine = server.state.comments.splice(
    server.state.comments.findIndex((c) => c.id === before),
    1
  )[0]!;
  server.state.comments.push(mine);
  const result = await post();
  expect(result.code).toBe(0);
  expect(ours().map((c) => c.id)).toEqual([before]);
  expect(result.stdout).toContain(`updated comment ${before} on #7`);
});

test('a read-only token (fork PR): 403 on create and update, a passing step, the summary and comment-body', async () => {
  server.state.readOnly = true;
  server.state.comments = [];
  const env = await prEnv();
  const result = await post({ 'warn-at-limit-percent': '0.0001' }, env);
  server.state.readOnly = false;
  expect(result.code).toBe(0);
  expect(server.state.comments).toEqual([]);
  expect(result.stdout).toMatch(/::warning::cannot comment on #7 \(403: Resource not accessible by integration/);
  expect(result.outputs['comment-body']).toContain(MARKER);
  expect(result.outputs['within-limits']).toBe('true');
  expect(
    (JSON.parse(result.outputs['sizes'] ?? '{}') as { functions: Record<string, { withinLimits: boolean }> }).functions['Predict']
      ?.withinLimits
  ).toBe(true);
  expect(await readFile(env['GITHUB_STEP_SUMMARY']!, 'utf8')).toContain('| Predict |');
  // warn-at-limit-percent: a warning annotation on the function's template line.
  expect(result.stdout).toMatch(/::warning file=template.yaml,line=36::function Predict is at [\d.]+%25 of the unzipped limit/);
});

test('command comment (workflow_run side): a downloaded report and pr-number post the comment without building', async () => {
  server.state.comments = [];
  await writeFile(path.join(files, 'downloaded.json'), JSON.stringify(report));
  const result = await post({ report: path.join(files, 'downloaded.json'), 'pr-number': '7', 'head-sha': HEAD }, await workflowRunEnv());
  expect(result.code).toBe(0);
  expect(result.stdout).not.toContain('pip install');
  expect(server.state.log).toContain('GET /repos/o/r/pulls/7');
  // The PR head itself was measured: the base is the merge-base.
  expect(result.outputs['base-sha']).toBe(MERGE_BASE);
  expect(ours()).toHaveLength(1);
  expect(ours()[0]!.body).toContain('| Predict |');
});

test('command comment: a pr-number whose head is not head-sha (spoofed or outdated) gets no comment', async () => {
  server.state.comments = [];
  const result = await post({ 'pr-number': '7', 'head-sha': '9'.repeat(40) }, await workflowRunEnv());
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`pull request #7 is at ${HEAD}, not head-sha ${'9'.repeat(40)}`);
  expect(server.state.comments).toEqual([]);
});
