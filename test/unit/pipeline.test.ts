import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FolderCache } from '../../src/cache/folder-cache.js';
import { runPipeline } from '../../src/build/pipeline.js';
import { loadApp } from '../../src/template/load-app.js';
import { BuildError } from '../../src/shared/errors.js';
import type { Report } from '../../src/report/report.js';
import { FAKE_INDEX, makeFakeApp, recordingLogger, tickingClock, TODAY, type FakeApp } from '../helpers/fake-app.js';
import { fakeTools, type FakeToolsOptions } from '../helpers/fake-tools.js';

let app: FakeApp;
afterEach(() => app.remove());

async function build(options: FakeToolsOptions = {}) {
  const tools = fakeTools({ index: FAKE_INDEX, ...options });
  const logger = recordingLogger();
  const report = await runPipeline(app.settings, await loadApp(app.settings, {}), 'build', {
    logger,
    cache: new FolderCache(app.settings.cacheDir),
    today: TODAY,
    tools,
    env: {},
    clock: tickingClock()
  });
  const installed = tools.pipFake.installs.map((i) => path.relative(app.settings.outDir, i.targetDir));
  return { report, tools, logger, installed };
}

const hashes = (report: Report) => [...report.layers, ...report.functions].map((a) => [a.name, a.sha256]);

describe('runPipeline', () => {
  test('builds each layer after the layers below it, then the functions, and reports in the template order', async () => {
    app = await makeFakeApp();
    const { report, tools, installed } = await build();
    expect(installed).toEqual(['layers/CoreLayer/python', 'layers/MlLayer/python', 'functions/Predict']);
    // Resolved against the layers below: the core layer's versions are constraints, and core-lib is not shipped twice.
    expect(tools.pipFake.installs[1]?.constraints).toEqual(['core-lib==1.0']);
    expect(tools.pipFake.installs[2]?.constraints).toEqual(['core-lib==1.0', 'ml-lib==0.5']);
    expect(report.layers.map((l) => l.name)).toEqual(['MlLayer', 'CoreLayer']);
    expect(report.functions.map((f) => f.name)).toEqual(['Validate', 'Predict']);
    expect(report.layers.find((l) => l.name === 'MlLayer')?.packages.map((p) => p.name)).toEqual(['ml-lib']);
    expect(report.functions.map((f) => f.verification.status)).toEqual(['passed', 'passed']);
    expect(report.verified).toBe(true);
    expect(report.withinLimits).toBe(true);
    expect(JSON.parse(await readFile(app.settings.reportFile, 'utf8'))).toEqual(report);
    for (const artifact of [...report.layers, ...report.functions])
      expect(existsSync(path.join(app.settings.outDir, artifact.zipFile))).toBe(true);
  });

  test('a requirement pip cannot satisfy fails the build at its line in the requirements file', async () => {
    app = await makeFakeApp({ 'layers/core/requirements.txt': '# core\ncore-lib==1.0\nmissing-lib==2.0\n' });
    const failure = build();
    await expect(failure).rejects.toThrow(BuildError);
    await expect(failure).rejects.toMatchObject({
      location: { file: path.join(app.repo, 'layers/core/requirements.txt'), line: 3 },
      message: expect.stringContaining(
        'layer CoreLayer: requirement "missing-lib==2.0": no wheel of missing-lib==2.0 loads on python3.12 x86_64'
      ) as unknown
    });
  });

  test('a failing lower layer: the layers above never install, nothing else starts, the work folder goes', async () => {
    app = await makeFakeApp({ 'layers/core/requirements.txt': 'core-lib==1.0\nmissing-lib==2.0\n' });
    const tools = fakeTools({ index: FAKE_INDEX });
    const logger = recordingLogger();
    const deps = { logger, cache: new FolderCache(app.settings.cacheDir), today: TODAY, tools, env: {}, clock: tickingClock() };
    await expect(runPipeline(app.settings, await loadApp(app.settings, {}), 'build', deps)).rejects.toThrow(
      /layer CoreLayer: requirement "missing-lib==2\.0"/
    );
    expect(tools.pipFake.installs.map((i) => path.relative(app.settings.outDir, i.targetDir))).toEqual(['layers/CoreLayer/python']);
    expect(logger.logged.map((l) => l.message).filter((m) => /MlLayer|Validate|Predict/.test(m))).toEqual([]);
    expect(existsSync(path.join(app.settings.outDir, '.work'))).toBe(false);
  });

  test('a second build takes everything from the cache, byte for byte; a changed requirement rebuilds what it decides', async () => {
    app = await makeFakeApp();
    const cold = await build();
    expect(cold.report.layers.map((l) => l.cacheHit)).toEqual([false, false]);

    const warm = await build();
    expect(warm.installed).toEqual([]);
    expect(warm.report.layers.map((l) => l.cacheHit)).toEqual([true, true]);
    expect(hashes(warm.report)).toEqual(hashes(cold.report));

    await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), 'ml-lib==0.6\n');
    const changed = await build();
    // The core layer is unchanged; the ml layer and the function resolved against it are not.
    expect(changed.installed).toEqual(['layers/MlLayer/python', 'functions/Predict']);
    expect(changed.report.layers.map((l) => [l.name, l.cacheHit])).toEqual([
      ['MlLayer', false],
      ['CoreLayer', true]
    ]);
  });

  test('times each phase a layer or function went through: a cold build every step, a warm one the restore', async () => {
    app = await makeFakeApp();
    const phases = (report: Report) => [...report.layers, ...report.functions].map((a) => [a.name, Object.keys(a.timings ?? {})]);
    const cold = await build();
    expect(phases(cold.report)).toEqual([
      ['MlLayer', ['cacheRestore', 'install', 'prune', 'strip', 'link', 'bytecode', 'zip', 'cacheSave']],
      ['CoreLayer', ['cacheRestore', 'install', 'prune', 'strip', 'bytecode', 'zip', 'cacheSave']],
      ['Validate', ['zip', 'verify']],
      ['Predict', ['cacheRestore', 'install', 'prune', 'strip', 'bytecode', 'cacheSave', 'zip', 'verify']]
    ]);
    const all = [...cold.report.layers, ...cold.report.functions].flatMap((a) => Object.values(a.timings ?? {}));
    // The clock ticks once per reading: every phase took at least the tick between its two readings.
    expect(all.every((ms) => Number.isInteger(ms) && ms >= 1)).toBe(true);
    expect(cold.report.totalMs).toBeGreaterThan(all.reduce((sum, ms) => sum + ms, 0));

    const warm = await build();
    expect(phases(warm.report)).toEqual([
      ['MlLayer', ['cacheRestore']],
      ['CoreLayer', ['cacheRestore']],
      ['Validate', ['zip', 'verify']],
      ['Predict', ['cacheRestore', 'zip', 'verify']]
    ]);
  });

  test('an import that fails in isolation fails the build, naming the module and the prune rule that removed its file', async () => {
    app = await makeFakeApp({
      'layers/core/requirements.txt': 'core-lib==1.0\nbad-lib==1.0\n',
      'functions/validate/app.py': 'import core_lib\n\ndef handler(event, context):\n    return 1\n'
    });
    const { report, logger } = await build();
    expect(report.verified).toBe(false);
    const validate = report.functions.find((f) => f.name === 'Validate');
    expect(validate?.verification.status).toBe('failed');
    expect(validate?.verification.failures).toEqual([
      { module: 'bad_lib', error: "ModuleNotFoundError: No module named 'bad_lib.tests'", rule: 'tests' }
    ]);
    const message =
      "function Validate: import bad_lib failed in isolation: ModuleNotFoundError: No module named 'bad_lib.tests' " +
      '(the file was removed by prune rule "tests")';
    expect(validate?.violations).toContain(message);
    expect(logger.logged).toContainEqual({
      level: 'error',
      message,
      where: { file: app.settings.templateFile, line: expect.any(Number) as unknown }
    });
  });

  test('without an interpreter for the runtime: no bytecode, no strip, no verification, each with a warning', async () => {
    app = await makeFakeApp();
    const { report, logger } = await build({ pythons: [] });
    const core = report.layers.find((l) => l.name === 'CoreLayer');
    expect(core?.slimming.bytecode).toMatchObject({
      mode: 'bytecode',
      files: 0,
      skipped: expect.stringContaining('no CPython 3.12') as unknown
    });
    expect(core?.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^no bytecode: no CPython 3\.12 .*shipped without bytecode/),
        expect.stringMatching(/^not stripped: no CPython 3\.12/)
      ])
    );
    expect(existsSync(path.join(app.settings.outDir, 'layers/CoreLayer/python/core_lib/util.py'))).toBe(true);
    expect(report.functions.map((f) => f.verification.status)).toEqual(['skipped', 'skipped']);
    expect(logger.logged.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^layer CoreLayer: no bytecode: /),
        expect.stringMatching(/^function Validate: not verified: no CPython 3\.12/)
      ])
    );
  });
});
