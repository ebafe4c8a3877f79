import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildFunction } from '../../src/build/build-function.js';
import { outPath } from '../../src/build/out-paths.js';
import { buildLayer, lowerOf, type BuiltLayer } from '../../src/build/build-layer.js';
import { LAMBDA_LIMITS } from '../../src/lambda/limits.js';
import { InputError } from '../../src/shared/errors.js';
import { FAKE_INDEX, FAKE_TEMPLATE, makeFakeApp, planFakeApp, type FakeApp, type PlannedApp } from '../helpers/fake-app.js';
import { fakeTools, type FakeTools } from '../helpers/fake-tools.js';

let app: FakeApp;
afterEach(() => app.remove());

async function layersOf(planned: PlannedApp): Promise<Map<string, BuiltLayer>> {
  const layers = new Map<string, BuiltLayer>();
  for (const name of planned.plan.stacking.order) {
    const plan = planned.plan.layers.find((l) => l.spec.name === name);
    if (!plan) continue;
    const below = (planned.plan.stacking.commonBelow.get(name) ?? []).flatMap((b) => layers.get(b) ?? []).map(lowerOf);
    const paths = outPath(app.settings.outDir, 'layers', name);
    layers.set(
      name,
      await buildLayer(
        { plan, code: [], notes: [], below, paths, outDir: app.settings.outDir, mode: 'build', clock: () => performance.now() },
        planned.ctx,
        planned.slim
      )
    );
  }
  return layers;
}

async function buildNamed(name: string, overrides: Record<string, string> = {}, mode: 'build' | 'check' = 'build', tools?: FakeTools) {
  app = await makeFakeApp(overrides);
  const planned = await planFakeApp(app, tools ?? fakeTools({ index: FAKE_INDEX }));
  const plan = planned.plan.functions.find((f) => f.spec.name === name);
  if (!plan) throw new Error(`no function ${name} in the plan`);
  const layers = mode === 'build' ? await layersOf(planned) : new Map<string, BuiltLayer>();
  const build = {
    plan,
    code: planned.loaded.files.code.get(name) ?? [],
    layers,
    paths: outPath(app.settings.outDir, 'functions', name),
    outDir: app.settings.outDir,
    cacheDir: app.settings.cacheDir,
    limits: LAMBDA_LIMITS,
    notes: [],
    mode,
    clock: () => performance.now()
  };
  return buildFunction(build, planned.ctx, planned.slim);
}

describe('buildFunction', () => {
  test('packages its own requirements against its layers, then its code, and verifies the stack', async () => {
    const tools = fakeTools({ index: FAKE_INDEX });
    const report = await buildNamed('Predict', {}, 'build', tools);
    expect(tools.pipFake.installs.at(-1)).toMatchObject({ requirements: ['helper==0.1'], constraints: ['core-lib==1.0', 'ml-lib==0.5'] });
    expect(report.layers).toEqual(['CoreLayer', 'MlLayer']);
    expect(report.packages.map((p) => p.name).sort()).toEqual(['(function code)', 'helper']);
    expect(report.verification).toMatchObject({ status: 'passed', python: '3.12.1', failures: [] });
    expect(report.slimming?.bytecode.files).toBe(1);
    expect(await readFile(path.join(outPath(app.settings.outDir, 'functions', 'Predict').root, 'app.py'), 'utf8')).toMatch(
      /^import ml_lib, helper/
    );
    expect(report.withinLimits).toBe(true);
  });

  test("a failed import next to an external layer is not judged: that layer's content is unknown", async () => {
    const template = FAKE_TEMPLATE.replace(
      'Layers: [!Ref CoreLayer]',
      'Layers: [!Ref CoreLayer, arn:aws:lambda:us-east-1:123456789012:layer:extra:3]'
    );
    const report = await buildNamed('Validate', {
      'template.yaml': template,
      'functions/validate/app.py': 'import extra_lib\n\ndef handler(event, context):\n    return 1\n'
    });
    expect(report.verification).toMatchObject({
      status: 'skipped',
      reason: 'imports may need external layers: arn:aws:lambda:us-east-1:123456789012:layer:extra:3',
      failures: [{ module: 'app', error: "ModuleNotFoundError: No module named 'extra_lib'" }]
    });
    expect(report.violations).toEqual([
      "function Validate: import app failed in isolation: ModuleNotFoundError: No module named 'extra_lib'"
    ]);
    expect(report.warnings).toContain(
      'not verified: imports may need external layers: arn:aws:lambda:us-east-1:123456789012:layer:extra:3'
    );
  });

  test('check without an earlier build is bad input', async () => {
    await expect(buildNamed('Validate', {}, 'check')).rejects.toThrow(InputError);
  });
});
