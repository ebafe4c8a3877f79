import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CacheService } from '../../src/cache/actions-cache.js';
import { reportKeyFor, saveBaseReport } from '../../src/cache/base-report-store.js';
import type { Report } from '../../src/report/report.js';
import { runnerCacheEnv, startCacheServer, type CacheServer } from '../helpers/cache-server.js';
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js';
import { runAction } from '../helpers/run-action.js';
import { makeSampleApp, type SampleApp } from '../helpers/sample-app.js';

const MAIN = '1'.repeat(40); // a default-branch commit, measured by a push run
const HEAD = '2'.repeat(40);
const MERGE = '3'.repeat(40); // the PR's merge ref: first parent MAIN
const OTHER_BASE = '4'.repeat(40);
const REPOSITORY = { full_name: 'o/r', default_branch: 'main' };

let app: SampleApp;
let cache: CacheServer;
let github: GitHubServer;
let files: string;

beforeAll(async () => {
  app = await makeSampleApp();
  cache = await startCacheServer();
  github = await startGitHubServer();
  github.state.parents[MERGE] = [MAIN, HEAD];
  files = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-base-'));
});
afterAll(async () => {
  await Promise.all([cache.close(), github.close()]);
  await rm(app.base, { recursive: true, force: true });
  await rm(files, { recursive: true, force: true });
});

/** The runner's environment for an event: payload, repository, the cache service and the GitHub API. */
async function eventEnv(name: string, sha: string, payload: object): Promise<Record<string, string>> {
  const event = path.join(files, `${name}-${sha.slice(0, 4)}.json`);
  await writeFile(event, JSON.stringify({ repository: REPOSITORY, ...payload }));
  return {
    ...runnerCacheEnv(cache.url, files, path.join(files, `local-${sha.slice(0, 4)}`)),
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_RUN_ID: '9',
    GITHUB_API_URL: github.url
  };
}

const pushEnv = (sha: string, branch = 'main') => eventEnv('push', sha, { ref: `refs/heads/${branch}` });
const prEnv = (merge: string) =>
  eventEnv('pull_request', merge, {
    number: 5,
    pull_request: { number: 5, head: { sha: HEAD, repo: REPOSITORY }, base: { sha: MAIN, repo: REPOSITORY } }
  });
const reportKeys = () =>
  [...cache.entries.values()].filter((e) => e.finalized && e.key.startsWith('lambda-layers-report-')).map((e) => e.key);

describe('base reports in the Actions cache', () => {
  test('a push to the default branch stores a whole report under its SHA; a layers-filtered job or another branch does not', async () => {
    const filtered = await runAction(app, { layers: 'CoreLayer', 'github-token': 't' }, await pushEnv(MAIN));
    expect(filtered.code).toBe(0);
    // merge stores like a build: here on a feature branch, so not.
    const branch = await runAction(
      app,
      { command: 'merge', reports: '.lambda-layers/report.json', report: 'merged.json' },
      await pushEnv(OTHER_BASE, 'feature')
    );
    expect(branch.code).toBe(0);
    expect(reportKeys()).toEqual([]);
    const result = await runAction(app, { 'github-token': 't' }, await pushEnv(MAIN));
    expect(result.code).toBe(0);
    expect(reportKeys()).toEqual([reportKeyFor('lambda-layers', MAIN)]);
    expect(result.stdout).toContain(`stored the size report of ${MAIN} as a baseline`);
  });

  test('a pull request measured on its merge ref compares with the report of the first parent', async () => {
    // The head grew: the comment shows the change against the stored base, not "baseline unavailable".
    const head = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
    head.layers[1]!.unzippedBytes += 5 * 1024 * 1024;
    await writeFile(path.join(files, 'head.json'), JSON.stringify(head));
    const result = await runAction(
      app,
      { command: 'comment', report: path.join(files, 'head.json'), 'github-token': 't' },
      await prEnv(MERGE)
    );
    expect(result.code).toBe(0);
    expect(result.outputs['base-sha']).toBe(MAIN);
    const body = result.outputs['comment-body'] ?? '';
    expect(body).not.toContain('aseline unavailable');
    expect(body).toMatch(/MlLayer.*\+5(\.0)? MiB/);
    // A pull request run never stores a baseline.
    expect(reportKeys()).toEqual([reportKeyFor('lambda-layers', MAIN)]);
  });

  test('no report stored for the base commit: "baseline unavailable", not a failure', async () => {
    github.state.parents['5'.repeat(40)] = [OTHER_BASE, HEAD];
    const result = await runAction(
      app,
      { command: 'comment', report: '.lambda-layers/report.json', 'github-token': 't' },
      await prEnv('5'.repeat(40))
    );
    expect(result.code).toBe(0);
    expect(result.outputs['base-sha']).toBe(OTHER_BASE);
    expect(result.outputs['comment-body']).toContain('Baseline unavailable');
  });

  test('a stored report that is not a report of this version: a warning and "baseline unavailable"', async () => {
    const merge = '6'.repeat(40);
    const base = '7'.repeat(40);
    github.state.parents[merge] = [base, HEAD];
    // Stored by this process through the same store, as another tool version might have.
    const saved = { ...process.env };
    Object.assign(process.env, runnerCacheEnv(cache.url, files, path.join(files, 'local-store')), { GITHUB_WORKSPACE: app.repo });
    const logger = { info: () => {}, warning: () => {}, error: () => {}, detail: () => {} };
    try {
      const old = { version: 99, layers: [], functions: [] } as unknown as Report;
      expect(await saveBaseReport(new CacheService(logger), old, 'lambda-layers', base)).toBe(true);
    } finally {
      process.env = saved;
    }
    const result = await runAction(
      app,
      { command: 'comment', report: '.lambda-layers/report.json', 'github-token': 't' },
      await prEnv(merge)
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/::warning::could not restore the base report for 7{40}: .*report version 99, this tool reads version 1/);
    expect(result.outputs['comment-body']).toContain('Baseline unavailable');
  });
});
