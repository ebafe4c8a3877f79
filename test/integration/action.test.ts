import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { runAction } from '../helpers/run-action.js';

type Sizes = { layers: Record<string, unknown>; functions: Record<string, { withinLimits: boolean }> };
import { makeSampleApp, TEMPLATE, type SampleApp } from '../helpers/sample-app.js';

let app: SampleApp;
beforeAll(async () => {
  app = await makeSampleApp();
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});

test('the action builds, logs the table, folds pip output, and sets its outputs', async () => {
  const result = await runAction(app, { template: 'template.yaml', 'working-directory': '.' });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('::group::pip install for layer CoreLayer');
  expect(result.stdout).toMatch(/Predict\s+2\s/);
  expect(result.outputs['within-limits']).toBe('true');
  expect(result.outputs['report']).toBe(path.join(app.repo, '.lambda-layers/report.json'));
  const sizes = JSON.parse(result.outputs['sizes'] ?? '{}') as Sizes;
  const report = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
  const [core] = report.layers;
  expect(sizes.layers['CoreLayer']).toEqual({ unzippedBytes: core?.unzippedBytes, zippedBytes: core?.zippedBytes, sha256: core?.sha256 });
  expect(sizes.functions['Predict']?.withinLimits).toBe(true);
  // Warnings are annotations on the template line of the resource.
  expect(result.stdout).toContain('::warning file=template.yaml,line=36::function Predict: not pinned with ==: tiny-core');
});

test('bad input fails the step with an error annotation on the template line', async () => {
  await writeFile(path.join(app.repo, 'broken.yaml'), TEMPLATE.replace('Runtime: python3.12', 'Runtime: python2.7'));
  const result = await runAction(app, { template: 'broken.yaml' });
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('::error file=broken.yaml,line=26::');
  expect(result.stdout).toContain('unknown or unsupported runtime \\"python2.7\\"'.replaceAll('\\', ''));
});

test('a limit exceeded fails the step and names the function', async () => {
  await writeFile(
    path.join(app.repo, 'tight.yaml'),
    `pipArgs: ["--no-index", "--find-links", "${app.index}"]\nlimits: {unzippedBytes: 1500}\n`
  );
  const result = await runAction(app, { config: 'tight.yaml', command: 'check' });
  expect(result.code).toBe(1);
  expect(result.outputs['within-limits']).toBe('false');
  expect(result.stdout).toMatch(/::error file=template.yaml,line=36::function Predict is .* over the limit/);
});
