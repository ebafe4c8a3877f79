import { appendFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, runCli, TEMPLATE, type SampleApp } from '../helpers/sample-app.js';
import type { Report } from '../../src/report/report.js';

/** The shipped CLI (dist/) builds the tiny-wheel sample app with budgets from the config file or the template's Metadata. */

let app: SampleApp;
afterEach(async () => {
  await rm(app.base, { recursive: true, force: true });
});

/** The sample app, its config file (which names the test's pip index) extended with `config`, built. */
async function build(config: string, files: Record<string, string> = {}) {
  app = await makeSampleApp(files);
  await appendFile(path.join(app.repo, 'lambda-layers.yaml'), config);
  const result = await runCli(app, ['build']);
  const report = await readFile(path.join(app.repo, '.lambda-layers', 'report.json'), 'utf8').then((t) => JSON.parse(t) as Report);
  return { ...result, report };
}

// 0.000001 MB is one byte: any layer is over it.
const CORE_OVER = 'budgets:\n  layers:\n    CoreLayer: { unzippedMB: 0.000001 }\n    MlLayer: { unzippedMB: 100 }\n';

test('a layer over its budget with policy fail fails the build: exit code 1, the budget named, the report written', async () => {
  const { code, stderr, stdout, report } = await build(CORE_OVER);
  expect(code).toBe(1);
  expect(stderr).toMatch(/template\.yaml:\d+: layer CoreLayer is over budget: unzipped [\d.]+ MB is [\d.]+% of its 0\.0 MB budget/);
  expect(stderr).toContain('over budget (budget policy fail): layer CoreLayer unzipped');
  expect(stdout).toMatch(/layer CoreLayer\s+unzipped\s+[\d.]+ MB\s+0\.0 MB\s+[\d.]+%\s+OVER \(fail\)/);
  expect(stdout).toMatch(/layer MlLayer\s+unzipped\s+0\.0 MB\s+100\.0 MB\s+0\.0%\s+ok/);
  const [core, ml] = report.layers;
  expect(core!.budget).toMatchObject({ limit: 1, over: true, onOver: 'fail' });
  expect(core!.budget!.measured).toBe(core!.unzippedBytes);
  expect(ml!.budget).toMatchObject({ limit: 100_000_000, over: false, onOver: 'fail' });
});

test('the same budget with policy warn: a warning, exit code 0', async () => {
  const { code, stderr, report } = await build(CORE_OVER + '  policy: warn\n');
  expect(code).toBe(0);
  expect(stderr).toMatch(/warning: .*layer CoreLayer is over budget: .* \(budget policy warn\)/);
  expect(report.layers[0]!.budget).toMatchObject({ over: true, onOver: 'warn' });
});

test("a budget in the template's Metadata fails the build, pointing at the resource's line", async () => {
  const template = TEMPLATE.replace(
    '    Metadata:\n      BuildMethod: python3.12\n',
    '    Metadata:\n      BuildMethod: python3.12\n      LambdaLayers:\n        Budget: { UnzippedMB: 0.000001 }\n'
  );
  expect(template).not.toBe(TEMPLATE);
  const { code, stderr, report } = await build('', { 'template.yaml': template });
  expect(code).toBe(1);
  expect(stderr).toMatch(/template\.yaml:\d+: layer CoreLayer is over budget/);
  expect(report.layers[0]!.budget).toMatchObject({ limit: 1, over: true });
  expect(report.functions.map((f) => f.memorySizeMB)).toEqual([128, 128]);
});

test('a bad budget in the config file is bad input: exit code 2, the file and the line, nothing built', async () => {
  app = await makeSampleApp();
  const config = path.join(app.repo, 'lambda-layers.yaml');
  const before = (await readFile(config, 'utf8')).split('\n').length - 1;
  await appendFile(config, 'budgets:\n  functions:\n    Predict:\n      coldStartMs: soon\n');
  const { code, stderr } = await runCli(app, ['build']);
  expect(code).toBe(2);
  expect(stderr).toContain(`${config}:${before + 4}: budgets.functions.Predict.coldStartMs must be a number above 0, got "soon"`);
});
