import { existsSync } from 'node:fs';
import path from 'node:path';
import { outPath } from '../../src/build/out-paths.js';
import { buildLayer, type BuiltLayer } from '../../src/build/build-layer.js';
import { packageFunction } from '../../src/build/package-function.js';
import { verifyFunction } from '../../src/verify/verify-function.js';
import { FAKE_INDEX, makeFakeApp, planFakeApp, type FakeApp } from '../helpers/fake-app.js';
import { fakeTools, FakePython, type FakeTools } from '../helpers/fake-tools.js';

let app: FakeApp;
afterEach(() => app.remove());

/** Builds CoreLayer and packages Validate (its only layer), then verifies Validate. */
async function verifyValidate(appPy: string, tools: FakeTools, python = new FakePython()) {
  app = await makeFakeApp({ 'functions/validate/app.py': appPy });
  const planned = await planFakeApp(app, tools);
  const layerPlan = planned.plan.layers.find((l) => l.spec.name === 'CoreLayer');
  const plan = planned.plan.functions.find((f) => f.spec.name === 'Validate');
  if (!layerPlan || !plan) throw new Error('CoreLayer and Validate are in the fake app');
  const paths = outPath(app.settings.outDir, 'layers', 'CoreLayer');
  const core: BuiltLayer = await buildLayer(
    { plan: layerPlan, code: [], notes: [], below: [], paths, outDir: app.settings.outDir, mode: 'build', clock: () => performance.now() },
    planned.ctx,
    planned.slim
  );
  const dir = outPath(app.settings.outDir, 'functions', 'Validate').root;
  await packageFunction(plan, planned.loaded.files.code.get('Validate') ?? [], [], [], dir, planned.ctx, planned.slim);
  const verify = (withPython: FakePython | undefined) =>
    verifyFunction(plan, dir, ZIP_SHA256, [core], undefined, withPython, planned.ctx, app.settings.cacheDir);
  return { first: await verify(python), again: () => verify(python), without: () => verify(undefined) };
}

/** The function's zip hash, part of the verification's cache key. */
const ZIP_SHA256 = 'a'.repeat(64);

describe('verifyFunction', () => {
  test('imports the handler and every shipped module with the runtime Python', async () => {
    const { first, again } = await verifyValidate('import core_lib\n', fakeTools({ index: FAKE_INDEX }));
    expect(first).toEqual({
      status: 'passed',
      python: '3.12.1',
      modules: 2,
      handlerImportMs: 1,
      failures: [],
      level: 'target-cpu',
      // The fake wheels' .so files are text, not ELF: the import check judges them.
      elf: { files: 0, problems: [] }
    });
    // Nothing it depends on changed: the pass is reused from the cache, and says so.
    expect(await again()).toEqual({ ...first, cached: true });
  });

  test("adds the runtime's own boto3, installed once into the cache folder, only when an import asks for it", async () => {
    const tools = fakeTools({ index: FAKE_INDEX });
    const { first, again } = await verifyValidate('import core_lib\nimport boto3\n', tools);
    expect(first.status).toBe('passed');
    const site = path.join(app.settings.cacheDir, 'runtime-provided/python3.12-x86_64');
    expect(tools.pipFake.installs.at(-1)?.targetDir).toBe(`${site}.partial`);
    expect(existsSync(path.join(site, 'boto3/__init__.py'))).toBe(true);
    const installs = tools.pipFake.installs.length;
    expect((await again()).status).toBe('passed');
    expect(tools.pipFake.installs).toHaveLength(installs);
  });

  test('a module that does not import fails verification with the error', async () => {
    const { first } = await verifyValidate('import core_lib\nimport missing_lib\n', fakeTools({ index: FAKE_INDEX }));
    expect(first).toMatchObject({
      status: 'failed',
      failures: [{ module: 'app', error: "ModuleNotFoundError: No module named 'missing_lib'" }]
    });
  });

  test('without the runtime Python, verification is skipped with the reason', async () => {
    const { without } = await verifyValidate('import core_lib\n', fakeTools({ index: FAKE_INDEX }));
    expect(await without()).toEqual({
      status: 'skipped',
      reason: 'no CPython 3.12 for x86_64 on this machine',
      modules: 0,
      failures: [],
      level: 'none',
      elf: { files: 0, problems: [] }
    });
  });

  test("with the version's Python on another CPU only, imports are skipped and say why", async () => {
    const other = new FakePython('3.12.1', false);
    const { first } = await verifyValidate('import core_lib\n', fakeTools({ index: FAKE_INDEX }), other);
    expect(first).toMatchObject({
      status: 'skipped',
      reason:
        'no CPython 3.12 for x86_64 on this machine (/fake/python3.12.1 runs on other-cpu): shared objects checked at the ELF level only',
      level: 'none'
    });
  });
});
