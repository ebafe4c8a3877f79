import { resolveGitHubSettings } from '../../src/settings/pr-settings.js';
import { actionInputsFrom, inputErrorFrom } from './fixtures.js';

test('GitHub settings: defaults', () => {
  expect(resolveGitHubSettings(actionInputsFrom({}), '/repo')).toEqual({
    comment: 'always',
    commentKey: 'lambda-layers',
    minChangeBytes: 1,
    minChangePercent: 0,
    failOnIncrease: false,
    minColdStartChangeMs: 100,
    minColdStartChangePercent: 20,
    token: ''
  });
});

test('GitHub settings: every input parsed', () => {
  expect(
    resolveGitHubSettings(
      actionInputsFrom({
        comment: 'on-change',
        'comment-key': 'api.sizes',
        'min-change-bytes': '1024',
        'min-change-percent': '0.5',
        'fail-on-increase': 'true',
        'warn-at-limit-percent': '90',
        'min-cold-start-change-ms': '250',
        'min-cold-start-change-percent': '10',
        'github-token': 't',
        'base-report': 'base.json',
        'pr-number': '12',
        'head-sha': 'a'.repeat(40)
      }),
      '/repo'
    )
  ).toEqual({
    comment: 'on-change',
    commentKey: 'api.sizes',
    minChangeBytes: 1024,
    minChangePercent: 0.5,
    failOnIncrease: true,
    minColdStartChangeMs: 250,
    minColdStartChangePercent: 10,
    warnAtLimitPercent: 90,
    token: 't',
    baseReport: '/repo/base.json',
    prNumber: 12,
    headSha: 'a'.repeat(40)
  });
});

test.each([
  [{ comment: 'yes' }, 'input comment must be one of always, on-change, never, got "yes"'],
  [{ 'comment-key': 'x-->' }, 'input comment-key must be'],
  [{ 'comment-key': 'a'.repeat(65) }, 'input comment-key must be 1 to 64'],
  [{ 'min-change-bytes': '-1' }, 'input min-change-bytes must be a number from 0'],
  [{ 'min-change-percent': 'lots' }, 'input min-change-percent must be a number'],
  [{ 'warn-at-limit-percent': '120' }, 'input warn-at-limit-percent must be a number from 0 to 100'],
  [{ 'min-cold-start-change-ms': '-1' }, 'input min-cold-start-change-ms must be a number from 0'],
  [{ 'fail-on-increase': 'yes' }, 'input fail-on-increase must be true or false'],
  [{ 'pr-number': '1.5' }, 'input pr-number must be a pull request number'],
  [{ 'head-sha': 'main' }, 'input head-sha must be a 40-character commit SHA']
])('GitHub settings: %j is an input error naming the input', (raw, message) => {
  expect(inputErrorFrom(() => resolveGitHubSettings(actionInputsFrom(raw), '/repo')).message).toContain(message);
});
