import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { platformFor } from '../../src/lambda/platform.js';
import { findTargetPython } from '../../src/tools/python-finder.js';
import type { Report } from '../../src/report/report.js';
import { makeSampleApp, run, runCli, type SampleApp } from '../helpers/sample-app.js';

/** An app whose core layer ships tiny-rich, and whose handler reads its metadata and entry points. */
const RICH = {
  'layers/core/requirements.txt': 'tiny-core==1.0\ntiny-rich==1.0\n',
  'functions/validate/app.py': [
    'from importlib.metadata import entry_points, version',
    'import tiny_rich',
    "assert version('tiny-rich') == '1.0'",
    "assert [e.name for e in entry_points(group='tiny.plugins')] == ['rich']",
    '',
    'def handler(event, context):',
    '    return tiny_rich.core.hello()',
    ''
  ].join('\n')
};

async function zipNames(zipFile: string): Promise<string[]> {
  const script = 'import json, sys, zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))';
  return JSON.parse((await run('python3', ['-c', script, zipFile], { cwd: path.dirname(zipFile), env: process.env })).stdout) as string[];
}

async function report(app: SampleApp, out = '.lambda-layers'): Promise<Report> {
  return JSON.parse(await readFile(path.join(app.repo, out, 'report.json'), 'utf8')) as Report;
}

const coreZip = (app: SampleApp, out = '.lambda-layers') => path.join(app.repo, out, 'layers/CoreLayer.zip');

let app: SampleApp;
beforeAll(async () => {
  app = await makeSampleApp(RICH);
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});

test('default slimming removes tests, stubs, sources, non-package docs, and keeps what runs', async () => {
  const result = await runCli(app, ['build']);
  expect(result.stderr).not.toContain('error:');
  expect(result.code).toBe(0);
  const names = await zipNames(coreZip(app));
  for (const gone of [
    'tiny_rich/tests/test_core.py',
    'tiny_rich/core.pyi',
    'tiny_rich/_src/fast.pyx',
    'tiny_rich/_src/fast.c',
    'tiny_rich/_src/fast.h',
    'tiny_rich/docs/index.rst',
    'bin/tiny'
  ]) {
    expect(names).not.toContain(`python/${gone}`);
  }
  for (const kept of [
    'tiny_rich/examples/__init__.pyc',
    'tiny_rich/LICENSE.txt',
    'tiny_rich/zoneinfo/UTC',
    'tiny_rich-1.0.dist-info/METADATA',
    'tiny_rich-1.0.dist-info/entry_points.txt',
    'tiny_rich-1.0.dist-info/RECORD'
  ]) {
    expect(names).toContain(`python/${kept}`);
  }
  const core = (await report(app)).layers.find((l) => l.name === 'CoreLayer');
  const byRule = Object.fromEntries(core?.slimming.removed.map((r) => [r.rule, r.files]) ?? []);
  expect(byRule).toMatchObject({ tests: 2, 'type-stubs': 1, 'c-sources': 3, 'docs-examples': 1 });
  expect(core?.slimming.afterBytes).toBeLessThan(core?.slimming.beforeBytes ?? 0);
  expect(core?.slimming.removedByPackage[0]?.name).toBe('tiny-rich');
  // The handler read its metadata and entry points in isolation: verification imported it.
  const validate = (await report(app)).functions.find((f) => f.name === 'Validate');
  expect(validate?.verification).toMatchObject({ status: 'passed', failures: [] });
});

test('bytecode comes from the runtime version and RECORD lists exactly what ships', async () => {
  const site = path.join(app.repo, '.lambda-layers/layers/CoreLayer/python');
  const python = (await findTargetPython(platformFor('python3.12', 'x86_64'), {}, process.env))?.path ?? 'no python3.12 found';
  const magic = await run(python, ['-c', 'import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())'], {
    cwd: site,
    env: process.env
  });
  const pyc = await readFile(path.join(site, 'tiny_rich/core.pyc'));
  expect(pyc.subarray(0, 4).toString('hex')).toBe(magic.stdout.trim());
  // Flags 0b01: hash-based, unchecked (PEP 552): no timestamp in the file.
  expect(pyc.readUInt32LE(4)).toBe(1);
  const record = await readFile(path.join(site, 'tiny_rich-1.0.dist-info/RECORD'), 'utf8');
  expect(record).toContain('tiny_rich/core.pyc,,');
  expect(record).not.toContain('tiny_rich/core.py,');
  expect(record).not.toContain('tests/test_core.py');
});

test('an upper layer leaves out what the layer below provides', async () => {
  const ml = (await report(app)).layers.find((l) => l.name === 'MlLayer');
  expect(ml?.slimming.deduped.sort()).toEqual(['tiny-core', 'tiny-dep']);
  expect(ml?.packages.map((p) => p.name)).toEqual(['tiny-ml']);
  expect(ml?.slimming.removed.find((r) => r.rule === 'provided-by:CoreLayer')?.files).toBeGreaterThan(0);
});

test('a file a lower layer ships byte for byte becomes a link into /opt/python', async () => {
  await writeFile(path.join(app.repo, 'layers/core/requirements.txt'), 'tiny-core==1.0\ntiny-rich==1.0\ntiny-vendor-a==1.0\n');
  await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\ntiny-vendor-b==1.0\n');
  try {
    expect((await runCli(app, ['build', '--out', '.linked'])).code).toBe(0);
    const listing = await run(
      'python3',
      [
        '-c',
        'import sys, zipfile; i = zipfile.ZipFile(sys.argv[1]).getinfo(sys.argv[2]); print(oct(i.external_attr >> 16), zipfile.ZipFile(sys.argv[1]).read(i).decode())',
        path.join(app.repo, '.linked/layers/MlLayer.zip'),
        'python/tiny_vendor_b.libs/libshared-1.so'
      ],
      { cwd: app.repo, env: process.env }
    );
    expect(listing.stdout.trim()).toBe('0o120777 ../tiny_vendor_a.libs/libshared-1.so');
    const ml = (await report(app, '.linked')).layers.find((l) => l.name === 'MlLayer');
    expect(ml?.slimming.removed.find((r) => r.rule === 'linked-to:CoreLayer')).toEqual({
      rule: 'linked-to:CoreLayer',
      files: 1,
      bytes: 70 * 1024 - 36
    });
    expect((await report(app, '.linked')).verified).toBe(true);
  } finally {
    await writeFile(path.join(app.repo, 'layers/core/requirements.txt'), RICH['layers/core/requirements.txt']);
    await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\n');
  }
});

test('source+bytecode and source modes', async () => {
  await runCli(app, ['build', '--bytecode', 'source+bytecode', '--out', '.both']);
  const both = await zipNames(coreZip(app, '.both'));
  expect(both).toContain('python/tiny_rich/core.py');
  expect(both).toContain('python/tiny_rich/__pycache__/core.cpython-312.pyc');
  await runCli(app, ['build', '--bytecode', 'source', '--out', '.source']);
  const source = await zipNames(coreZip(app, '.source'));
  expect(source).toContain('python/tiny_rich/core.py');
  expect(source.filter((n) => n.endsWith('.pyc'))).toEqual([]);
});

test('optimized mode ships sourceless bytecode without docstrings and asserts, and still verifies', async () => {
  const pyc = (out: string) => readFile(path.join(app.repo, out, 'layers/CoreLayer/python/tiny_rich/core.pyc'), 'latin1');
  expect((await runCli(app, ['build', '--bytecode', 'optimized', '--out', '.optimized'])).code).toBe(0);
  expect(await zipNames(coreZip(app, '.optimized'))).not.toContain('python/tiny_rich/core.py');
  const [plain, optimized] = [await pyc('.lambda-layers'), await pyc('.optimized')];
  expect(plain).toContain('a docstring');
  expect(plain).toContain('an assert');
  expect(optimized).not.toContain('a docstring');
  expect(optimized).not.toContain('an assert');
  expect(optimized).toContain('hello');
  const validate = (await report(app, '.optimized')).functions.find((f) => f.name === 'Validate');
  expect(validate?.verification).toMatchObject({ status: 'passed', failures: [] });
});

test('naive builds keep everything pip installed, and the layer folder as sam build copies it', async () => {
  expect((await runCli(app, ['build', '--no-slim', '--out', '.naive'])).code).toBe(0);
  const names = await zipNames(coreZip(app, '.naive'));
  expect(names).toContain('python/tiny_rich/tests/test_core.py');
  expect(names).toContain('python/tiny_rich/core.py');
  // Naive, the layer's requirements.txt ships under python/ as `sam build` copies it: counted as the layer's own code.
  expect(
    (await report(app, '.naive')).layers
      .find((l) => l.name === 'MlLayer')
      ?.packages.map((p) => p.name)
      .sort()
  ).toEqual(['(layer code)', 'tiny-core', 'tiny-dep', 'tiny-ml']);
  expect(names).toContain('python/requirements.txt');
});

test('user rules: keep wins over a default rule, remove adds one', async () => {
  const result = await runCli(app, ['build', '--slim-keep', '**/*.pyi', '--slim-remove', '**/*.txt', '--out', '.user']);
  expect(result.code).toBe(0);
  const names = await zipNames(coreZip(app, '.user'));
  expect(names).toContain('python/tiny_rich/core.pyi');
  // License files and dist-info files stay whatever a rule says.
  expect(names).toContain('python/tiny_rich/LICENSE.txt');
  expect(names).toContain('python/tiny_rich-1.0.dist-info/entry_points.txt');
  const core = (await report(app, '.user')).layers.find((l) => l.name === 'CoreLayer');
  expect(core?.slimming.removed.map((r) => r.rule)).not.toContain('type-stubs');
});

test('a user rule that deletes a module the handler imports is caught by verification and named', async () => {
  const result = await runCli(app, ['build', '--slim-remove', 'tiny_rich/core.*', '--out', '.broken']);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('function Validate: import app failed in isolation');
  expect(result.stderr).toContain("cannot import name 'core' from partially initialized module 'tiny_rich'");
  expect(result.stderr).toContain('(the file was removed by prune rule "remove:tiny_rich/core.*")');
  expect((await report(app, '.broken')).verified).toBe(false);
});

test('a package only the host has fails verification', async () => {
  const hostOnly = await makeSampleApp({
    ...RICH,
    'functions/predict/app.py': 'import pip\n\ndef handler(event, context):\n    return 1\n'
  });
  try {
    const result = await runCli(hostOnly, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("function Predict: import app failed in isolation: ModuleNotFoundError: No module named 'pip'");
  } finally {
    await rm(hostOnly.base, { recursive: true, force: true });
  }
});

test("without the runtime's Python, no bytecode ships and verification is skipped, with warnings", async () => {
  const result = await runCli(app, ['build', '--out', '.nopython'], { PYENV_ROOT: path.join(app.base, 'no-pyenv'), PATH: '/usr/bin:/bin' });
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('layer CoreLayer: no bytecode: no CPython 3.12 was found, for any CPU');
  expect(result.stderr).toContain('function Validate: not verified: no CPython 3.12 for x86_64 on this machine');
  const names = await zipNames(coreZip(app, '.nopython'));
  expect(names).toContain('python/tiny_rich/core.py');
  expect(names.filter((n) => n.endsWith('.pyc'))).toEqual([]);
});

test('a layer serving stacks with different layers below keeps what not every stack provides, and says why', async () => {
  const template = (await readFile(path.join(app.repo, 'template.yaml'), 'utf8')).replace(
    'Layers: [!Ref CoreLayer]',
    'Layers: [!Ref MlLayer]'
  );
  await writeFile(path.join(app.repo, 'stacks.yaml'), template);
  const result = await runCli(app, ['build', '--template', 'stacks.yaml', '--out', '.stacks']);
  expect(result.stderr).toContain(
    'layer MlLayer: keeps tiny-core, tiny-dep although layer CoreLayer provides them: function Validate uses this layer without CoreLayer below it'
  );
  const ml = (await report(app, '.stacks')).layers.find((l) => l.name === 'MlLayer');
  expect(ml?.packages.map((p) => p.name).sort()).toEqual(['tiny-core', 'tiny-dep', 'tiny-ml']);
});
