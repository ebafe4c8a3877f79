import { getOctokit } from '@actions/github';
import type { Logger } from '../../src/shared/logger.js';
import { fetchPullRequest, resolveBaseSha } from '../../src/pr/pr-context.js';
import { markerFor } from '../../src/pr/size-markdown.js';
import { upsertStickyComment, type StickyRequest } from '../../src/pr/sticky-comment.js';
import { seedComment, startGitHubServer, type GitHubServer } from '../helpers/github-server.js';

const repo = { owner: 'o', repo: 'r' };
const MARKER = markerFor('sizes');
let server: GitHubServer;
let messages: string[];
const logger: Logger = {
  info: (m) => messages.push(`info: ${m}`),
  warning: (m) => messages.push(`warning: ${m}`),
  error: (m) => messages.push(`error: ${m}`),
  detail: () => undefined
};
const octokit = () => getOctokit('token', { baseUrl: server.url });
const request = (body: string, extra: Partial<StickyRequest> = {}): StickyRequest => ({
  repo,
  issue: 7,
  commentKey: 'sizes',
  body: `${MARKER}\n${body}`,
  mode: 'always',
  changed: true,
  ...extra
});
const bodies = () => server.state.comments.filter((c) => c.issue === 7).map((c) => `${c.user.login}: ${c.body.split('\n')[1]}`);

beforeEach(async () => {
  server = await startGitHubServer();
  messages = [];
});
afterEach(async () => {
  await server.close();
});

test('two runs give one comment, updated in place; GET /user is 403 and GraphQL viewer answers', async () => {
  expect(await upsertStickyComment(octokit(), request('one'), logger)).toBe('created');
  expect(await upsertStickyComment(octokit(), request('two'), logger)).toBe('updated');
  expect(bodies()).toEqual(['github-actions[bot]: two']);
  expect(server.state.log).toContain('GET /user');
  expect(server.state.log).toContain('POST /graphql');
});

test('our comment on page 3 of a long thread is found and updated, not duplicated', async () => {
  for (let i = 0; i < 230; i++) seedComment(server.state, 7, 'someone', `chatter ${i}`);
  const ours = seedComment(server.state, 7, 'github-actions[bot]', `${MARKER}\nold`);
  expect(await upsertStickyComment(octokit(), request('new'), logger)).toBe('updated');
  expect(server.state.comments.find((c) => c.id === ours.id)?.body).toBe(`${MARKER}\nnew`);
  expect(server.state.comments).toHaveLength(231);
  expect(server.state.log.filter((l) => l === 'GET /repos/o/r/issues/7/comments')).toHaveLength(3);
});

test('a stray duplicate of ours is deleted; the same marker by another user is left alone', async () => {
  const spoof = seedComment(server.state, 7, 'mallory', `${MARKER}\nspoofed`);
  seedComment(server.state, 7, 'github-actions[bot]', `${MARKER}\nfirst`);
  seedComment(server.state, 7, 'github-actions[bot]', `${MARKER}\nduplicate`);
  seedComment(server.state, 7, 'github-actions[bot]', `${markerFor('other-key')}\nanother report`);
  expect(await upsertStickyComment(octokit(), request('fresh'), logger)).toBe('updated');
  expect(bodies()).toEqual(['mallory: spoofed', 'github-actions[bot]: fresh', 'github-actions[bot]: another report']);
  expect(server.state.comments.find((c) => c.id === spoof.id)?.body).toBe(`${MARKER}\nspoofed`);
});

test('a personal token: GET /user answers and is used', async () => {
  server.state.userForbidden = false;
  server.state.tokenLogin = 'alice';
  seedComment(server.state, 7, 'alice', `${MARKER}\nold`);
  expect(await upsertStickyComment(octokit(), request('new'), logger)).toBe('updated');
  expect(server.state.log).not.toContain('POST /graphql');
  expect(bodies()).toEqual(['alice: new']);
});

test('identity unknown: creates a comment, deletes nothing, and says so', async () => {
  server.state.viewerFails = true;
  seedComment(server.state, 7, 'github-actions[bot]', `${MARKER}\nold`);
  expect(await upsertStickyComment(octokit(), request('new'), logger)).toBe('created');
  expect(bodies()).toEqual(['github-actions[bot]: old', 'github-actions[bot]: new']);
  expect(messages.join('\n')).toMatch(/could not learn the token's identity.*no duplicate comment is deleted/);
  expect(server.state.log.some((l) => l.startsWith('DELETE'))).toBe(false);
});

test('a read-only token (fork PR) is forbidden, not an error', async () => {
  server.state.readOnly = true;
  expect(await upsertStickyComment(octokit(), request('x'), logger)).toBe('forbidden');
  expect(messages.join('\n')).toMatch(/warning: cannot comment on #7 \(403: Resource not accessible by integration/);
});

test.each<[string, StickyRequest['mode'], boolean, boolean, string]>([
  ['never posts nothing', 'never', true, false, 'skipped'],
  ['on-change without a change and no comment yet posts nothing', 'on-change', false, false, 'skipped'],
  ['on-change without a change still refreshes an existing comment', 'on-change', false, true, 'updated'],
  ['on-change with a change posts', 'on-change', true, false, 'created']
])('comment mode: %s', async (_name, mode, changed, existing, outcome) => {
  if (existing) seedComment(server.state, 7, 'github-actions[bot]', `${MARKER}\nold`);
  expect(await upsertStickyComment(octokit(), request('new', { mode, changed }), logger)).toBe(outcome);
  expect(bodies()).toEqual(outcome === 'skipped' ? [] : ['github-actions[bot]: new']);
});

test('base commit: merge-base of the PR head, or the first parent of a measured merge ref', async () => {
  server.state.mergeBases['b0...h0'] = 'mb0';
  server.state.parents['m0'] = ['p0', 'h0'];
  server.state.pulls[7] = { headSha: 'h0', baseSha: 'b0' };
  const pr = await fetchPullRequest(octokit(), repo, 7);
  expect(pr).toEqual({ number: 7, headSha: 'h0', baseSha: 'b0', fork: false });
  expect(await resolveBaseSha(octokit(), repo, pr, 'h0')).toBe('mb0');
  expect(await resolveBaseSha(octokit(), repo, pr, 'm0')).toBe('p0');
});
