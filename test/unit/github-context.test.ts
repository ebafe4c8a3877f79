import { readRunContext } from '../../src/pr/pr-context.js';
import { sameLogin } from '../../src/pr/sticky-comment.js';

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
  expect(run).toMatchObject({
    repo: { owner: 'o', repo: 'r' },
    sha: 'm1',
    repoUrl: 'https://ghe.example/o/r',
    runUrl: 'https://ghe.example/o/r/actions/runs/9'
  });
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
