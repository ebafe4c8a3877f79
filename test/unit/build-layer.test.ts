import { outPath } from '../../src/build/out-paths.js';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildLayer, lowerOf, type BuiltLayer } from '../../src/build/build-layer.js';
import { InputError } from '../../src/shared/errors.js';
import { FAKE_INDEX, makeFakeApp, planFakeApp, type FakeApp, type PlannedApp } from '../helpers/fake-app.js';
import { fakeTools, type FakeTools } from '../helpers/fake-tools.js';

let app: FakeApp;
afterEach(() => app.remove());

function layerBuilder(planned: PlannedApp) {
  return (name: string, below: readonly BuiltLayer[], mode: 'build' | 'check' = 'build') => {
    const plan = planned.plan.layers.find((l) => l.spec.name === name);
    if (!plan) throw new Error(`no layer ${name} in the plan`);
    const paths = outPath(app.settings.outDir, 'layers', name);
    return buildLayer(
      { plan, code: [], notes: [], below: below.map(lowerOf), paths, outDir: app.settings.outDir, mode, clock: () => performance.now() },
      planned.ctx,
      planned.slim
    );
  };
}

async function setUp(): Promise<{ tools: FakeTools; build: ReturnType<typeof layerBuilder> }> {
  app = await makeFakeApp();
  const tools = fakeTools({ index: FAKE_INDEX });
  return { tools, build: layerBuilder(await planFakeApp(app, tools)) };
}

describe('buildLayer', () => {
  test('installs, slims, zips and measures a layer, and records its key and slim log beside it', async () => {
    const { build } = await setUp();
    const core = await build('CoreLayer', []);
    expect(core.report).toMatchObject({
      name: 'CoreLayer',
      runtime: 'python3.12',
      architecture: 'x86_64',
      cacheHit: false,
      violations: []
    });
    expect(core.dists.map((d) => `${d.name}==${d.version}`)).toEqual(['core-lib==1.0']);
    expect(core.report.warnings).toEqual([expect.stringMatching(/^kept unstripped \(stripping broke it\): core_lib\/_fragile\.so: /)]);
    expect(core.report.slimming.bytecode.files).toBe(2);
    expect(existsSync(path.join(core.root, 'python/core_lib/util.pyc'))).toBe(true);
    expect(existsSync(path.join(app.settings.outDir, core.report.zipFile))).toBe(true);
    const record = JSON.parse(await readFile(`${core.root}.build.json`, 'utf8')) as { key: string };
    expect(record.key).toBe(core.report.buildKey);
  });

  test('a layer above is resolved against the one below and leaves out what it provides', async () => {
    const { tools, build } = await setUp();
    const core = await build('CoreLayer', []);
    const ml = await build('MlLayer', [core]);
    expect(tools.pipFake.installs[1]?.constraints).toEqual(['core-lib==1.0']);
    expect(ml.dists.map((d) => d.name)).toEqual(['ml-lib']);
    expect(ml.report.slimming.deduped).toEqual(['core-lib']);
    expect(ml.report.buildKey).not.toBe((await build('MlLayer', [])).report.buildKey);
  });

  test('a layer tells what it will ship once installed; the one above installs then, and slims once the lower is finished', async () => {
    app = await makeFakeApp();
    const tools = fakeTools({ index: FAKE_INDEX });
    const planned = await planFakeApp(app, tools);
    const layer = (name: string) => planned.plan.layers.find((l) => l.spec.name === name)!;
    const paths = (name: string) => outPath(app.settings.outDir, 'layers', name);
    const common = { code: [], notes: [], outDir: app.settings.outDir, mode: 'build' as const, clock: () => performance.now() };
    const told: string[][] = [];
    const core = await buildLayer(
      { ...common, plan: layer('CoreLayer'), below: [], paths: paths('CoreLayer'), onDists: (d) => told.push(d.map((x) => x.name)) },
      planned.ctx,
      planned.slim
    );
    expect(told).toEqual([core.dists.map((d) => d.name)]);

    let finish: () => void = () => {};
    const finished = new Promise<{ root: string }>((resolve) => (finish = () => resolve(core)));
    const mlDists: string[][] = [];
    const ml = buildLayer(
      {
        ...common,
        plan: layer('MlLayer'),
        below: [{ name: 'CoreLayer', dists: core.dists, finished }],
        paths: paths('MlLayer'),
        onDists: (d) => mlDists.push(d.map((x) => x.name))
      },
      planned.ctx,
      planned.slim
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Installed against the lower layer's distributions, and already told without what that layer provides.
    expect(tools.pipFake.installs.at(-1)).toMatchObject({ constraints: ['core-lib==1.0'] });
    expect(mlDists).toEqual([['ml-lib']]);
    let done = false;
    void ml.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    finish();
    expect((await ml).dists.map((d) => d.name)).toEqual(['ml-lib']);
  });

  test('check re-measures the earlier build without pip, and says when it is stale', async () => {
    const { tools, build } = await setUp();
    const built = await build('CoreLayer', []);
    const checked = await build('CoreLayer', [], 'check');
    expect(tools.pipFake.installs).toHaveLength(1);
    expect(checked.report.sha256).toBe(built.report.sha256);
    expect(checked.report.slimming).toEqual(built.report.slimming);
    expect(checked.report.warnings).not.toContain('the build is stale: what decides this layer changed since it was built');

    await writeFile(path.join(app.repo, 'layers/core/requirements.txt'), 'core-lib==1.0\nhelper==0.1\n');
    const replanned = layerBuilder(await planFakeApp(app, tools));
    expect((await replanned('CoreLayer', [], 'check')).report.warnings).toContain(
      'the build is stale: what decides this layer changed since it was built'
    );
  });

  test('check without an earlier build is bad input', async () => {
    const { build } = await setUp();
    await expect(build('CoreLayer', [], 'check')).rejects.toThrow(InputError);
    await expect(build('CoreLayer', [], 'check')).rejects.toThrow(/no build of layer CoreLayer in .*: run lambda-layers build first/);
  });
});
