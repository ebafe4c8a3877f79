/**
 * End to end on the bundled example with real pandas, numpy and scikit-learn from the configured
 * package index: the shipped CLI builds it naive and slimmed for python3.12 x86_64, and the slimmed
 * result runs in isolation.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { platformFor } from '../../src/lambda/platform.js';
import { findTargetPython } from '../../src/tools/python-finder.js';
import type { Report } from '../../src/report/report.js';
import { CLI, REPO_ROOT, run } from '../helpers/sample-app.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-e2e-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function buildExample(name: string, flags: string[] = []) {
  const out = path.join(base, name);
  const result = await run(
    process.execPath,
    [CLI, 'build', '--template', 'example/template.yaml', '--out', out, '--cache-dir', path.join(base, `${name}-cache`), ...flags],
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

/** SHA-256 of every file under a folder, by relative path. */
async function hashes(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const data = await readFile(path.join(dir, name)).catch(() => undefined);
    if (data) result[name] = createHash('sha256').update(data).digest('hex');
  }
  return result;
}

/** `lambda-layers invoke`: the function from the build's zips through awslambdaric; the response and the REPORT line. */
async function invoke(out: string, fn: string, event: string, cacheDir: string) {
  const result = await run(
    process.execPath,
    [
      CLI,
      'invoke',
      fn,
      '--event',
      `example/events/${event}.json`,
      '--template',
      'example/template.yaml',
      '--out',
      out,
      '--cache-dir',
      cacheDir
    ],
    { cwd: REPO_ROOT, env: process.env }
  );
  expect(result.code).toBe(0);
  expect(result.stderr).toMatch(
    /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/m
  );
  return JSON.parse(result.stdout) as unknown;
}

test('naive, the example does not fit; slimmed, it fits, verifies, runs and rebuilds byte for byte', async () => {
  const naive = await buildExample('naive', ['--no-slim']);
  // Un-slimmed, the two ML functions are over the limit: the build says so and exits 1.
  expect(naive.result.code).toBe(1);
  expect(naive.result.stderr).toContain('function FeatureEngineering is');
  expect(naive.result.stderr).toContain('over the limit of 250.0 MiB (262,144,000 bytes)');
  const naiveCore = naive.report.layers.find((l) => l.name === 'CoreDataScienceLayer');
  expect(naiveCore?.packages.find((p) => p.name === 'pandas')?.version).toBe('3.0.6');
  expect(naiveCore?.packages.find((p) => p.name === 'numpy')?.version).toBe('2.4.6');
  for (const layer of naive.report.layers) {
    expect(await newestGlibc(path.join(naive.out, 'layers', layer.name, 'python'))).toBeLessThanOrEqual(34);
  }

  const slim = await buildExample('slim');
  expect(slim.result.stderr).not.toContain('error:');
  expect(slim.result.code).toBe(0);
  expect(slim.report.withinLimits).toBe(true);
  for (const fn of slim.report.functions) expect(fn.verification).toMatchObject({ status: 'passed', failures: [] });
  // The seed's budgets, from the template's Metadata: the ML layer is over its 100 MB and only warns, as the template says.
  expect(
    Object.fromEntries(
      slim.report.layers.map((l) => [l.name, l.budget && { limit: l.budget.limit, over: l.budget.over, onOver: l.budget.onOver }])
    )
  ).toEqual({
    CoreDataScienceLayer: { limit: 100_000_000, over: false, onOver: 'fail' },
    MLLibrariesLayer: { limit: 100_000_000, over: true, onOver: 'warn' },
    AWSUtilitiesLayer: { limit: 50_000_000, over: false, onOver: 'fail' }
  });
  expect(slim.result.stderr).toMatch(
    /layer MLLibrariesLayer is over budget: unzipped [\d.]+ MB is [\d.]+% of its 100\.0 MB budget \(budget policy warn\)/
  );
  // One numpy: the ML layer is resolved against the core layer's and leaves it out.
  const ml = slim.report.layers.find((l) => l.name === 'MLLibrariesLayer');
  expect(ml?.slimming.deduped).toContain('numpy');
  expect(ml?.packages.map((p) => p.name)).not.toContain('numpy');
  // auditwheel's vendored libraries are never stripped: byte-identical to what pip installed.
  const naiveLibs = await hashes(path.join(naive.out, 'layers/CoreDataScienceLayer/python/numpy.libs'));
  expect(Object.keys(naiveLibs).length).toBeGreaterThan(0);
  expect(await hashes(path.join(slim.out, 'layers/CoreDataScienceLayer/python/numpy.libs'))).toEqual(naiveLibs);

  // The build ran each function with its event (example/events/, by the code folder's name) through awslambdaric.
  for (const fn of slim.report.functions) {
    expect(fn.invocations?.status).toBe('ran');
    expect(fn.invocations?.results).toHaveLength(1);
    const [result] = fn.invocations?.results ?? [];
    expect(result).toMatchObject({ status: 'passed', memorySizeMB: 1024 });
    expect(result?.initDurationMs).toBeGreaterThan(0);
    expect(result?.maxMemoryUsedMB).toBeGreaterThan(20);
  }
  expect(slim.report.functions.map((f) => f.invocations?.results[0]?.event)).toEqual([
    'example/events/data_validation.json',
    'example/events/feature_engineering.json',
    'example/events/predictions.json'
  ]);
  // Over the limits, the naive functions are not run: they could not be deployed.
  expect(naive.report.functions.find((f) => f.name === 'FeatureEngineering')?.invocations?.status).toBe('skipped');

  // invoke, on the layers alone: the handlers answer, and metadata and entry points still resolve.
  expect(await invoke(slim.out, 'DataValidation', 'data_validation', path.join(base, 'slim-cache'))).toMatchObject({
    total: 8,
    valid: 2,
    invalid: 6
  });
  const predictions = (await invoke(slim.out, 'Predictions', 'predictions', path.join(base, 'slim-cache'))) as { predictions: unknown[] };
  expect(predictions.predictions).toHaveLength(5);
  const features = (await invoke(slim.out, 'FeatureEngineering', 'feature_engineering', path.join(base, 'slim-cache'))) as {
    rows: unknown[];
  };
  expect(features.rows).toHaveLength(5);

  const python = (await findTargetPython(platformFor('python3.12', 'x86_64'), {}, process.env))?.path ?? 'no python3.12 found';
  const metadata = await run(
    python,
    [
      '-I',
      '-S',
      '-c',
      `import sys; sys.path[:0] = [${JSON.stringify(path.join(slim.out, 'layers/CoreDataScienceLayer/python'))}]
from importlib.metadata import entry_points, version
print(version("pandas"), [e.value for e in entry_points(group="pandas_plotting_backends")])`
    ],
    { cwd: base, env: process.env }
  );
  expect(metadata.stdout.trim()).toBe("3.0.6 ['pandas:plotting._matplotlib']");

  // A second build from an empty cache gives byte-identical zips (bytecode included).
  const again = await buildExample('again');
  expect(again.report.layers.map((l) => l.sha256)).toEqual(slim.report.layers.map((l) => l.sha256));
  expect(again.report.functions.map((f) => f.sha256)).toEqual(slim.report.functions.map((f) => f.sha256));
}, 1_200_000);
