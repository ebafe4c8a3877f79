import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { runAction } from '../helpers/run-action.js';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';

let app: SampleApp;
beforeAll(async () => {
  app = await makeSampleApp();
  // A matrix of one job per layer, and a whole build to compare with.
  for (const [layer, out] of [
    ['CoreLayer', 'jobs/core'],
    ['MlLayer', 'jobs/ml']
  ] as const) {
    expect((await runCli(app, ['build', '--layers', layer, '--out', out])).code).toBe(0);
  }
  expect((await runCli(app, ['build', '--out', 'full'])).code).toBe(0);
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});

const readReport = async (file: string) => JSON.parse(await readFile(path.join(app.repo, file), 'utf8')) as Report;
/** What must not depend on how the build was split: sizes, zips, verdicts. */
const sizes = (r: Report) => ({
  layers: r.layers.map((l) => [l.name, l.buildKey, l.unzippedBytes, l.sha256]).sort(),
  functions: r.functions.map((f) => [f.name, f.totalUnzippedBytes, f.sha256, f.withinLimits]).sort(),
  withinLimits: r.withinLimits,
  verified: r.verified,
  skipped: r.skipped
});

describe('merging the reports of a matrix', () => {
  test('lambda-layers merge gives the report of a whole build', async () => {
    const result = await runCli(app, ['merge', 'jobs/core/report.json', 'jobs/ml/report.json', '--report', 'merged.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Predict\s+2\s/);
    expect(sizes(await readReport('merged.json'))).toEqual(sizes(await readReport('full/report.json')));
  });

  test('the action merges a glob of downloaded reports and sets its outputs like a build', async () => {
    const result = await runAction(app, { command: 'merge', reports: 'jobs/*/report.json', report: 'action-merged.json' });
    expect(result.code).toBe(0);
    expect(result.outputs['within-limits']).toBe('true');
    expect(Object.keys((JSON.parse(result.outputs['sizes'] ?? '{}') as { layers: object }).layers)).toEqual(['CoreLayer', 'MlLayer']);
    expect(sizes(await readReport('action-merged.json'))).toEqual(sizes(await readReport('full/report.json')));
  });

  test('two different builds of one layer are bad input naming both files, and nothing is written', async () => {
    const other = await readReport('jobs/ml/report.json');
    other.layers[0]!.sha256 = '0'.repeat(64);
    await writeFile(path.join(app.repo, 'other.json'), JSON.stringify(other));
    const result = await runCli(app, ['merge', 'jobs/ml/report.json', 'other.json', '--report', 'conflict.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: layer MlLayer differs between jobs\/ml\/report.json \(.*\) and other.json \(.*\)/);
    expect(await readFile(path.join(app.repo, 'conflict.json')).catch(() => undefined)).toBeUndefined();
  });

  test('a pattern matching nothing, or a file that is no report, is bad input', async () => {
    const none = await runAction(app, { command: 'merge', reports: 'nowhere/*.json' });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('::error::input reports: "nowhere/*.json" matches no file');
    await writeFile(path.join(app.repo, 'junk.json'), '{"hello": 1}');
    const junk = await runCli(app, ['merge', 'junk.json']);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('junk.json: merge: not a lambda-layers size report (no version)');
  });
});
