import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js';
import { runAction } from '../helpers/run-action.js';
import type { SampleApp } from '../helpers/sample-app.js';
import { makeReport } from '../unit/fixtures.js';

let server: GitHubServer;
let app: SampleApp;

beforeAll(async () => {
  server = await startGitHubServer();
  const base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-gh-inputs-'));
  app = { base, repo: path.join(base, 'repo'), index: path.join(base, 'index'), cache: path.join(base, 'cache') };
  await mkdir(app.repo);
  await writeFile(path.join(app.repo, 'report.json'), JSON.stringify(makeReport()));
  await writeFile(
    path.join(app.repo, 'event.json'),
    JSON.stringify({ pull_request: { number: 7, head: { sha: 'h' }, base: { sha: 'b' } } })
  );
});
afterAll(async () => {
  await server.close();
  await rm(app.base, { recursive: true, force: true });
});

/** The comment command on a pull_request event: no build, so every failure here is the input's. */
const post = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction(
    app,
    { command: 'comment', report: 'report.json', 'github-token': 't', ...inputs },
    {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: path.join(app.repo, 'event.json'),
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_API_URL: server.url,
      ...env
    }
  );

test('the inputs themselves are fine: the comment is posted', async () => {
  const result = await post({});
  expect(result.code).toBe(0);
  expect(server.state.comments).toHaveLength(1);
  server.state.comments = [];
});

test('a job summary that cannot be written is a warning; the comment is still posted', async () => {
  const result = await post({}, { GITHUB_STEP_SUMMARY: app.repo });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/::warning::could not write the job summary: /);
  expect(server.state.comments).toHaveLength(1);
  server.state.comments = [];
});

test.each([
  [{ comment: 'sometimes' }, 'input comment must be one of always, on-change, never'],
  [{ 'comment-key': 'a -->b' }, 'input comment-key must be'],
  [{ 'min-change-percent': 'x' }, 'input min-change-percent must be a number'],
  [{ 'pr-number': '-1' }, 'input pr-number must be a pull request number'],
  [{ report: 'missing.json' }, 'input report: file not found'],
  [{ 'base-report': 'event.json' }, 'input base-report: not a lambda-layers size report'],
  [{ command: 'publish-all' }, 'input command must be']
])('bad input %j fails the step naming the input, and posts nothing', async (inputs, message) => {
  const result = await post(inputs);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(message);
  expect(server.state.comments).toEqual([]);
});
