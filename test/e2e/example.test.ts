/**
 * End to end on the bundled example with real pandas, numpy and scikit-learn from the configured
 * package index: the shipped CLI builds it for python3.12 x86_64, and the result runs in isolation.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT, run } from '../helpers/sample-app.js';
import { platformFor } from '../../src/platform.js';
import { findTargetPython } from '../../src/python-finder.js';
import type { Report } from '../../src/report.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-e2e-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function buildExample(name: string) {
  const out = path.join(base, name);
  const result = await run(
    process.execPath,
    [CLI, 'build', '--template', 'example/template.yaml', '--out', out, '--cache-dir', path.join(base, `${name}-cache`)],
    { cwd: REPO_ROOT, env: process.env }
  );
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Report;
  return { out, result, report };
}

/** Highest glibc minor named by any manylinux tag of the wheels installed in a site folder. */
async function newestGlibc(siteDir: string): Promise<number> {
  let newest = 0;
  for (const entry of (await readdir(siteDir)).filter((n) => n.endsWith('.dist-info'))) {
    const wheel = await readFile(path.join(siteDir, entry, 'WHEEL'), 'utf8');
    for (const [, minor] of wheel.matchAll(/^Tag: .*manylinux_2_(\d+)_/gm)) newest = Math.max(newest, Number(minor));
  }
  return newest;
}

test('the un-slimmed example builds, is reported over the limit, and its within-limit function runs', async () => {
  const { out, result, report } = await buildExample('first');
  // Un-slimmed, the two ML functions do not fit: the build says so and exits 1.
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('function FeatureEngineering is');
  expect(result.stderr).toContain('over the limit of 250.0 MiB (262,144,000 bytes)');
  const core = report.layers.find((l) => l.name === 'CoreDataScienceLayer');
  expect(core?.packages.find((p) => p.name === 'pandas')?.version).toBe('3.0.6');
  expect(core?.packages.find((p) => p.name === 'numpy')?.version).toBe('2.4.6');
  expect(report.functions.find((f) => f.name === 'DataValidation')?.withinLimits).toBe(true);
  expect(report.functions.find((f) => f.name === 'Predictions')?.withinLimits).toBe(false);
  for (const layer of report.layers) {
    expect(await newestGlibc(path.join(out, 'layers', layer.name, 'python'))).toBeLessThanOrEqual(34);
  }

  // The function runs on its layers alone: nothing of the host on sys.path, as in /opt.
  const python = (await findTargetPython(platformFor('python3.12', 'x86_64'), {}, process.env))?.path ?? 'no python3.12 found';
  const event = path.join(REPO_ROOT, 'example/events/data_validation.json');
  const paths = [path.join(out, 'functions/DataValidation'), ...['CoreDataScienceLayer', 'AWSUtilitiesLayer'].map((l) => path.join(out, 'layers', l, 'python'))];
  const script = `
import json, sys
sys.path[:0] = ${JSON.stringify(paths)}
import app
print(json.dumps(app.lambda_handler(json.load(open(${JSON.stringify(event)})), None)))`;
  const invoked = await run(python, ['-I', '-S', '-c', script], { cwd: base, env: process.env });
  expect(invoked.stderr).toBe('');
  expect(JSON.parse(invoked.stdout)).toMatchObject({ total: 8, valid: 2, invalid: 6 });

  // A second build from an empty cache gives byte-identical zips.
  const second = await buildExample('second');
  expect(second.report.layers.map((l) => l.sha256)).toEqual(report.layers.map((l) => l.sha256));
  expect(second.report.functions.map((f) => f.sha256)).toEqual(report.functions.map((f) => f.sha256));
}, 900_000);
