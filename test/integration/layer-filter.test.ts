import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';

let app: SampleApp;
beforeAll(async () => {
  app = await makeSampleApp();
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});

const readReport = async (file: string) => JSON.parse(await readFile(path.join(app.repo, file), 'utf8')) as Report;

describe('lambda-layers build --layers: one share of a matrix', () => {
  test('an upper layer builds the layer below it, reports only itself, and checks the function it tops', async () => {
    const result = await runCli(app, ['build', '--layers', 'MlLayer', '--out', 'ml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('[1/2] layer CoreLayer (python3.12, x86_64) (below a layer of this job): building');
    expect(result.stderr).toContain('[2/2] layer MlLayer (python3.12, x86_64): building');
    const report = await readReport('ml/report.json');
    expect(report.layers.map((l) => l.name)).toEqual(['MlLayer']);
    expect(report.functions.map((f) => f.name)).toEqual(['Predict']);
    // Resolved against CoreLayer as in a full build: MlLayer leaves out what CoreLayer ships.
    expect(report.layers[0]?.packages.map((p) => p.name)).toEqual(['tiny-ml']);
  });

  test('a base layer alone checks the function it tops and leaves the other to the job of its last layer', async () => {
    const result = await runCli(app, ['build', '--layers', 'CoreLayer', '--out', 'core']);
    expect(result.code).toBe(0);
    const report = await readReport('core/report.json');
    expect(report.layers.map((l) => l.name)).toEqual(['CoreLayer']);
    expect(report.functions.map((f) => f.name)).toEqual(['Validate']);
    expect(report.skipped).toContain('Predict: checked by the job that builds its last layer, MlLayer (this job: layers CoreLayer)');
    expect(await stat(path.join(app.repo, 'core/layers/MlLayer.zip')).catch(() => undefined)).toBeUndefined();
  });

  test("another job's function cannot fail this job: its code is not read here", async () => {
    await rm(path.join(app.repo, 'functions/predict/app.py'));
    try {
      const result = await runCli(app, ['build', '--layers', 'CoreLayer', '--out', 'unrelated']);
      expect(result.stderr).not.toContain('error:');
      expect(result.code).toBe(0);
      const full = await runCli(app, ['build', '--out', 'unrelated-full']);
      expect(full.code).toBe(2);
      expect(full.stderr).toContain('handler app.handler: app.py is not in functions/predict');
    } finally {
      await writeFile(
        path.join(app.repo, 'functions/predict/app.py'),
        'import tiny_ml, tiny_helper\n\ndef handler(event, context):\n    return 1\n'
      );
    }
  });

  test('an unknown layer is bad input: exit 2, the valid names listed, nothing built', async () => {
    const result = await runCli(app, ['build', '--layers', 'CoreLayer,Nope', '--out', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: layers: no layer "Nope" in the template; its layers are: CoreLayer, MlLayer');
    expect(await stat(path.join(app.repo, 'nope')).catch(() => undefined)).toBeUndefined();
  });
});
