import { resolveGitHubSettings } from '../../src/settings/pr-settings.js';
import { readRunContext } from '../../src/pr/pr-context.js';
import { sameLogin } from '../../src/pr/sticky-comment.js';
import { inputErrorFrom } from './fixtures.js';

const ENV = { GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'm1', GITHUB_RUN_ID: '9', GITHUB_SERVER_URL: 'https://ghe.example' };
const repository = { full_name: 'o/r', default_branch: 'main' };
const pr = (headRepo: unknown) => ({
  repository,
  pull_request: { number: 3, head: { sha: 'h1', repo: headRepo }, base: { sha: 'b1', repo: repository } }
});

test.each<[string, Record<string, string>, unknown, object]>([
  [
    'a pull request from the same repository',
    { ...ENV, GITHUB_EVENT_NAME: 'pull_request' },
    pr({ full_name: 'o/r' }),
    { pullRequest: { number: 3, headSha: 'h1', baseSha: 'b1', fork: false }, defaultBranchPush: false }
  ],
  [
    'a pull request from a fork',
    { ...ENV, GITHUB_EVENT_NAME: 'pull_request' },
    pr({ full_name: 'x/r' }),
    { pullRequest: expect.objectContaining({ fork: true }) as unknown }
  ],
  [
    'a pull request whose fork was deleted',
    { ...ENV, GITHUB_EVENT_NAME: 'pull_request' },
    pr(null),
    { pullRequest: expect.objectContaining({ fork: true }) as unknown }
  ],
  [
    'a push to the default branch',
    { ...ENV, GITHUB_EVENT_NAME: 'push' },
    { ref: 'refs/heads/main', repository },
    { defaultBranchPush: true }
  ],
  ['a push to another branch', { ...ENV, GITHUB_EVENT_NAME: 'push' }, { ref: 'refs/heads/dev', repository }, { defaultBranchPush: false }],
  ['a tag push', { ...ENV, GITHUB_EVENT_NAME: 'push' }, { ref: 'refs/tags/main', repository }, { defaultBranchPush: false }],
  ['no payload at all (a local run)', {}, {}, { eventName: '', defaultBranchPush: false }]
])('run context: %s', (_name, env, payload, expected) => {
  const run = readRunContext(env, payload);
  expect(run).toMatchObject(expected);
  if (!('pullRequest' in expected)) expect(run.pullRequest).toBeUndefined();
});

test('the run link and the repository come from the runner variables', () => {
  const run = readRunContext({ ...ENV, GITHUB_EVENT_NAME: 'push' }, {});
  expect(run).toMatchObject({ repo: { owner: 'o', repo: 'r' }, sha: 'm1', runUrl: 'https://ghe.example/o/r/actions/runs/9' });
});

test.each([
  ['github-actions[bot]', 'github-actions', true],
  ['github-actions[bot]', 'github-actions[bot]', true],
  ['Alice', 'alice', true],
  ['alice', 'alice-bot', false],
  ['mallory', undefined, false]
])('same login: %s vs %s', (a, b, same) => {
  expect(sameLogin(a, b)).toBe(same);
});

test('GitHub settings: defaults', () => {
  expect(resolveGitHubSettings({}, '/repo')).toEqual({
    comment: 'always',
    commentKey: 'lambda-layers',
    minChangeBytes: 1,
    minChangePercent: 0,
    failOnIncrease: false,
    token: ''
  });
});

test('GitHub settings: every input parsed', () => {
  expect(
    resolveGitHubSettings(
      {
        comment: 'on-change',
        commentKey: 'api.sizes',
        minChangeBytes: '1024',
        minChangePercent: '0.5',
        failOnIncrease: 'true',
        warnAtLimitPercent: '90',
        token: 't',
        baseReport: 'base.json',
        prNumber: '12',
        headSha: 'a'.repeat(40)
      },
      '/repo'
    )
  ).toEqual({
    comment: 'on-change',
    commentKey: 'api.sizes',
    minChangeBytes: 1024,
    minChangePercent: 0.5,
    failOnIncrease: true,
    warnAtLimitPercent: 90,
    token: 't',
    baseReport: '/repo/base.json',
    prNumber: 12,
    headSha: 'a'.repeat(40)
  });
});

test.each([
  [{ comment: 'yes' }, 'input comment must be one of always, on-change, never, got "yes"'],
  [{ commentKey: 'x-->' }, 'input comment-key must be'],
  [{ commentKey: 'a'.repeat(65) }, 'input comment-key must be 1 to 64'],
  [{ minChangeBytes: '-1' }, 'input min-change-bytes must be a number from 0'],
  [{ minChangePercent: 'lots' }, 'input min-change-percent must be a number'],
  [{ warnAtLimitPercent: '120' }, 'input warn-at-limit-percent must be a number from 0 to 100'],
  [{ failOnIncrease: 'yes' }, 'input fail-on-increase must be true or false'],
  [{ prNumber: '1.5' }, 'input pr-number must be a pull request number'],
  [{ headSha: 'main' }, 'input head-sha must be a 40-character commit SHA']
])('GitHub settings: %j is an input error naming the input', (raw, message) => {
  expect(inputErrorFrom(() => resolveGitHubSettings(raw, '/repo')).message).toContain(message);
});
