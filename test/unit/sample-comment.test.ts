import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderComment } from '../../src/pr/render-comment.js';
import { renderSummary } from '../../src/pr/render-summary.js';
import { diffReports } from '../../src/pr/report-diff.js';
import type { RenderContext } from '../../src/pr/size-markdown.js';
import { parseReport } from '../../src/report/report-io.js';
import { REPO_ROOT } from '../helpers/sample-app.js';

/**
 * The sample comment and job summary in docs/ and the README are what the renderer makes of two real
 * reports of the bundled example: the base, and the same app with tabulate==0.10.0 added to the AWS
 * layer (test/fixtures/reports). A change to the rendering fails here until the samples are
 * regenerated with UPDATE_SAMPLES=1 (docs/sample-*.md and the README's copy) and reviewed.
 */

const FIXTURES = 'test/fixtures/reports';
const read = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), 'utf8');
const report = (name: string) => parseReport(read(`${FIXTURES}/${name}`), name);

const CTX: RenderContext = {
  commentKey: 'lambda-layers',
  baseSha: '3f6d2a91c0b4e8d75a1f9c2e6b0d4a8f1c3e5b7d',
  headSha: '8c1e4b7a2d9f06e3b5c8a1d4f7e2b9c6a3d0f5e8',
  repoUrl: 'https://github.com/octo-org/data-pipeline',
  runUrl: 'https://github.com/octo-org/data-pipeline/actions/runs/1234567890',
  tool: { name: 'lambda-layers', version: '0.1.0' },
  warnAtLimitPercent: 90
};

const base = report('example-base.json');
const head = report('example-head.json');
const diff = diffReports(base, head, { minBytes: 1, minPercent: 0 });

/** Compares with the file, or rewrites it when UPDATE_SAMPLES is set. */
function expectFile(rel: string, text: string): void {
  if (process.env['UPDATE_SAMPLES']) writeFileSync(path.join(REPO_ROOT, rel), text);
  expect(read(rel)).toBe(text);
}

test('docs/sample-comment.md is the comment rendered from the fixture reports', () => {
  expectFile('docs/sample-comment.md', renderComment(diff, CTX));
});

test('docs/sample-summary.md is the job summary rendered from the fixture reports', () => {
  expectFile('docs/sample-summary.md', renderSummary(diff, CTX, head));
});

test('the README shows the same sample comment', () => {
  const readme = read('README.md');
  const start = '<!-- sample-comment:start -->\n';
  const end = '<!-- sample-comment:end -->';
  const [from, to] = [readme.indexOf(start) + start.length, readme.indexOf(end)];
  expect(from).toBeGreaterThan(start.length - 1);
  const comment = renderComment(diff, CTX);
  if (process.env['UPDATE_SAMPLES']) writeFileSync(path.join(REPO_ROOT, 'README.md'), readme.slice(0, from) + comment + readme.slice(to));
  expect(read('README.md').slice(from, read('README.md').indexOf(end))).toBe(comment);
});

test('the sample names the package that changed, its version and its delta, and the headroom', () => {
  const comment = renderComment(diff, CTX);
  expect(comment).toMatch(
    /layer \*\*AWSUtilitiesLayer\*\* \+[\d.]+ KiB \(in every function\): added tabulate 0\\\.10\\\.0 \(\+[\d.]+ KiB\)/
  );
  expect(comment).toMatch(
    /Largest function \*\*(FeatureEngineering|Predictions)\*\*: [\d.]+ MiB, [\d.]+% of the 250\.0 MiB limit, \*\*[\d.]+ MiB headroom\*\*/
  );
  expect(comment).toContain('### Lambda sizes · lambda\\-layers');
  expect(comment).toContain('[compare](https://github.com/octo-org/data-pipeline/compare/3f6d2a91c0b4e8d75a1f9c2e6b0d4a8f1c3e5b7d...');
});
