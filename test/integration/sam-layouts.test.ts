/**
 * SAM app layouts as SAM's documentation describes them, each built by the shipped CLI: which functions
 * and layers are found, and what each zip holds compared with what `sam build` puts there (the layer's
 * folder copied under python/ after its requirements, minus SAM's excludes), then slimmed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { zipSync, strToU8 } from 'fflate';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { makeSampleApp, run, runCli, type SampleApp } from '../helpers/sample-app.js';

async function zipNames(zipFile: string): Promise<string[]> {
  const script = 'import json, sys, zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))';
  return JSON.parse((await run('python3', ['-c', script, zipFile], { cwd: path.dirname(zipFile), env: process.env })).stdout) as string[];
}

const readReport = async (app: SampleApp) =>
  JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
const layerZip = (app: SampleApp, name: string) => path.join(app.repo, '.lambda-layers/layers', `${name}.zip`);
const functionZip = (app: SampleApp, name: string) => path.join(app.repo, '.lambda-layers/functions', `${name}.zip`);

/** A template of the given resources (YAML lines under Resources:) on python3.12. */
const template = (...resources: string[]) =>
  ['Transform: AWS::Serverless-2016-10-31', 'Globals:', '  Function:', '    Runtime: python3.12', 'Resources:', ...resources, ''].join(
    '\n'
  );

const apps: SampleApp[] = [];
async function sampleApp(files: Record<string, string>): Promise<SampleApp> {
  const app = await makeSampleApp(files);
  apps.push(app);
  return app;
}
afterAll(async () => {
  for (const app of apps) await rm(app.base, { recursive: true, force: true });
});

describe('a layer of shared code (the standard SAM pattern)', () => {
  const files = {
    'template.yaml': template(
      '  SharedLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: {ContentUri: shared/, CompatibleRuntimes: [python3.12]}',
      '    Metadata: {BuildMethod: python3.12}',
      '  Api:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {CodeUri: api/, Handler: app.handler, Layers: [!Ref SharedLayer]}'
    ),
    'shared/requirements.txt': 'tiny-core==1.0\n',
    'shared/helpers.py': 'import tiny_core\n\ndef greet():\n    return "hi"\n',
    'shared/shared_utils/__init__.py': 'from .fmt import fmt\n',
    'shared/shared_utils/fmt.py': 'def fmt(x):\n    return str(x)\n',
    'shared/shared_utils/data/config.json': '{"a": 1}\n',
    'shared/__pycache__/helpers.cpython-312.pyc': 'stale',
    'shared/.venv/lib/site.py': 'x = 1\n',
    'shared/build/native.so': 'ELF',
    'api/app.py': 'import helpers\nfrom shared_utils import fmt\n\ndef handler(event, context):\n    return fmt(helpers.greet())\n',
    'api/.pytest_cache/v/cache': 'x',
    'api/node_modules/x.js': 'x'
  };

  test('ships its own modules and data under python/ beside its requirements; functions importing them verify', async () => {
    const app = await sampleApp(files);
    const result = await runCli(app, ['build']);
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const names = await zipNames(layerZip(app, 'SharedLayer'));
    // What `sam build` copies from the folder, minus its excludes (and, slimmed, the requirements.txt).
    for (const own of ['helpers.py', 'shared_utils/__init__.py', 'shared_utils/fmt.py', 'shared_utils/data/config.json']) {
      expect(names).toContain(`python/${own}`);
    }
    for (const excluded of ['__pycache__/helpers.cpython-312.pyc', '.venv/lib/site.py', 'build/native.so', 'requirements.txt']) {
      expect(names).not.toContain(`python/${excluded}`);
    }
    expect(names).toContain('python/tiny_core/__init__.pyc');
    const report = await readReport(app);
    expect(report.layers.map((l) => l.name)).toEqual(['SharedLayer']);
    expect(report.layers[0]?.packages.map((p) => p.name).sort()).toEqual(['(layer code)', 'tiny-core', 'tiny-dep']);
    const api = report.functions.find((f) => f.name === 'Api');
    expect(api?.verification.status).toBe('passed');
    // The function's folder as SAM copies it: node_modules stays, .pytest_cache does not.
    expect((await zipNames(functionZip(app, 'Api'))).sort()).toEqual(['app.py', 'node_modules/x.js']);
  });

  test('the layer zip is the same on a second build', async () => {
    const app = apps[0] as SampleApp;
    const before = (await readReport(app)).layers[0]?.sha256;
    expect((await runCli(app, ['build'])).code).toBe(0);
    const report = await readReport(app);
    expect(report.layers[0]?.cacheHit).toBe(true);
    expect(report.layers[0]?.sha256).toBe(before);
  });

  test('without its module the function fails verification, naming the import', async () => {
    const app = await sampleApp({ ...files, 'api/app.py': 'import helpers_gone\n\ndef handler(event, context):\n    return 1\n' });
    const result = await runCli(app, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No module named 'helpers_gone'");
  });
});

describe('a layer of code only', () => {
  test.each([
    ['no requirements.txt', {}],
    ['an empty requirements.txt', { 'common/requirements.txt': '# nothing yet\n' }]
  ])('%s: the folder ships under python/, nothing is installed', async (_label, extra) => {
    const app = await sampleApp({
      'template.yaml': template(
        '  CommonLayer:',
        '    Type: AWS::Serverless::LayerVersion',
        '    Properties: {ContentUri: common/, CompatibleRuntimes: [python3.12]}',
        '    Metadata: {BuildMethod: python3.12}',
        '  Api:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {CodeUri: api/, Handler: app.handler, Layers: [!Ref CommonLayer]}'
      ),
      'common/common.py': 'VALUE = 1\n',
      'api/app.py': 'import common\n\ndef handler(event, context):\n    return common.VALUE\n',
      ...extra
    });
    const result = await runCli(app, ['build']);
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    expect(await zipNames(layerZip(app, 'CommonLayer'))).toEqual(['python/common.py']);
    expect((await readReport(app)).functions[0]?.verification.status).toBe('passed');
  });
});

describe('templates without local layers', () => {
  test('functions alone are built and size-checked', async () => {
    const app = await sampleApp({
      'template.yaml': template(
        '  Api:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {CodeUri: functions/predict/, Handler: app.handler, Layers: ["arn:aws:lambda:us-east-1:123456789012:layer:x:1"]}'
      ),
      'functions/predict/requirements.txt': 'tiny-ml==0.5\ntiny-helper==0.1\n'
    });
    const result = await runCli(app, ['build']);
    expect(result.code).toBe(0);
    const report = await readReport(app);
    expect(report.layers).toEqual([]);
    expect(report.functions.map((f) => [f.name, f.withinLimits])).toEqual([['Api', true]]);
    expect(report.functions[0]?.packages.map((p) => p.name).sort()).toEqual([
      '(function code)',
      'tiny-core',
      'tiny-dep',
      'tiny-helper',
      'tiny-ml'
    ]);
  });

  test('nothing to build is a note, exit 0, and the report lists what was skipped', async () => {
    const app = await sampleApp({
      'template.yaml': template(
        '  Remote:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {CodeUri: s3://bucket/code.zip, Handler: app.handler, Runtime: python2.7}'
      )
    });
    const result = await runCli(app, ['build']);
    expect(result.stderr).toContain('nothing to build: the template has no Python function or layer with local code');
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    expect((await readReport(app)).skipped).toEqual(['Remote: its code is in S3, so it is not built']);
  });
});

describe('environment markers are evaluated for the target runtime, not for the Python running pip', () => {
  const requirements = [
    "tiny-dep==2.0; python_version >= '3.10'",
    "tiny-dep==1.2; python_version < '3.10'",
    "tiny-nosuch==9.9; python_version < '3.8'",
    "tiny-helper>=0.1; python_version >= '3.13'",
    "tiny-native==3.1; platform_machine == 'aarch64' and python_version >= '3.12'"
  ].join('\n');
  const layered = (runtime: string) =>
    template(
      '  DepsLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      `    Properties: {ContentUri: deps/, CompatibleRuntimes: [${runtime}]}`,
      `    Metadata: {BuildMethod: ${runtime}}`,
      '  Api:',
      '    Type: AWS::Serverless::Function',
      `    Properties: {CodeUri: api/, Handler: app.handler, Runtime: ${runtime}, Layers: [!Ref DepsLayer]}`
    );
  const api = 'import tiny_dep\n\ndef handler(event, context):\n    return tiny_dep.__version__\n';

  test.each([
    ['python3.9', '1.2'],
    ['python3.12', '2.0']
  ])('%s: the layer and the function get the lines meant for it, and warnings quote no other line', async (runtime, version) => {
    const app = await sampleApp({
      'template.yaml': layered(runtime),
      'deps/requirements.txt': requirements + '\n',
      'api/app.py': api,
      'api/requirements.txt': requirements + '\n'
    });
    const result = await runCli(app, ['build']);
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const report = await readReport(app);
    expect(report.layers[0]?.packages.map((p) => `${p.name}==${p.version}`)).toEqual([`tiny-dep==${version}`]);
    expect(result.stderr).not.toContain('tiny-helper');
    expect(result.stderr).not.toContain('not pinned');
    expect(report.functions[0]?.verification.status).toBe('passed');
    // The function's own requirements are the layer's: left out of its package.
    expect(report.functions[0]?.packages.map((p) => p.name)).toEqual(['(function code)']);
  });

  test('an invalid marker is bad input naming the file and line', async () => {
    const app = await sampleApp({
      'template.yaml': layered('python3.12'),
      'deps/requirements.txt': "tiny-dep==2.0\ntiny-core==1.0; python_version >> '3'\n",
      'api/app.py': api
    });
    const result = await runCli(app, ['build']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${path.join(app.repo, 'deps/requirements.txt')}:2: invalid environment marker "python_version >> '3'"`
    );
  });
});

describe('artifacts sam build does not build with pip', () => {
  const files = {
    'template.yaml': template(
      '  ZipLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: {ContentUri: artifacts/layer.zip, CompatibleRuntimes: [python3.12]}',
      '  PrebuiltLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: {ContentUri: prebuilt/, CompatibleRuntimes: [python3.12]}',
      '  MakeLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: {ContentUri: make/, CompatibleRuntimes: [python3.12]}',
      '    Metadata: {BuildMethod: makefile}',
      '  Zipped:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {CodeUri: artifacts/fn.zip, Handler: app.handler, Layers: [!Ref ZipLayer, !Ref PrebuiltLayer, !Ref MakeLayer]}',
      '  Skipped:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {CodeUri: skip/, Handler: app.handler}',
      '    Metadata: {SkipBuild: true}',
      '  Project:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {CodeUri: project/, Handler: app.handler}'
    ),
    'prebuilt/python/prebuilt_mod.py': 'P = 1\n',
    'prebuilt/README.md': 'built elsewhere\n',
    'make/Makefile': 'build-MakeLayer:\n\tmkdir -p "$(ARTIFACTS_DIR)/python"\n\tcp made_mod.py "$(ARTIFACTS_DIR)/python/"\n',
    'make/made_mod.py': 'M = 1\n',
    'skip/app.py': 'def handler(event, context):\n    return 1\n',
    'skip/requirements.txt': 'tiny-core==1.0\n',
    'skip/__pycache__/app.cpython-312.pyc': 'x',
    'project/app.py': 'def handler(event, context):\n    return 1\n',
    'project/pyproject.toml': '[project]\nname = "p"\nversion = "1"\ndependencies = ["tiny-core==1.0"]\n'
  };
  let app: SampleApp;
  let layerBytes: Buffer;

  beforeAll(async () => {
    app = await sampleApp(files);
    await mkdir(path.join(app.repo, 'artifacts'), { recursive: true });
    layerBytes = Buffer.from(zipSync({ 'python/zipped_mod.py': strToU8('Z = 1\n'), 'python/data.bin': new Uint8Array(3000) }));
    await writeFile(path.join(app.repo, 'artifacts/layer.zip'), layerBytes);
    const handler = 'import zipped_mod, prebuilt_mod, made_mod\n\ndef handler(event, context):\n    return 1\n';
    await writeFile(path.join(app.repo, 'artifacts/fn.zip'), zipSync({ 'app.py': strToU8(handler) }));
  });

  test('each is found, shipped as sam build leaves it, measured, and functions importing them verify', async () => {
    const result = await runCli(app, ['build']);
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const report = await readReport(app);
    expect(report.layers.map((l) => l.name)).toEqual(['ZipLayer', 'PrebuiltLayer', 'MakeLayer']);
    expect(report.functions.map((f) => f.name)).toEqual(['Zipped', 'Skipped', 'Project']);
    // The .zip is the artifact byte for byte; its unzipped size counts.
    const zipLayer = report.layers[0];
    expect(zipLayer?.sha256).toBe(createHash('sha256').update(layerBytes).digest('hex'));
    expect(zipLayer?.unzippedBytes).toBe(3006);
    expect(await zipNames(layerZip(app, 'PrebuiltLayer'))).toEqual(['README.md', 'python/prebuilt_mod.py']);
    expect(await zipNames(layerZip(app, 'MakeLayer'))).toEqual(['python/made_mod.py']);
    const zipped = report.functions[0];
    expect(zipped?.verification.status).toBe('passed');
    expect(zipped?.totalUnzippedBytes).toBe((zipped?.codeUnzippedBytes ?? 0) + report.layers.reduce((sum, l) => sum + l.unzippedBytes, 0));
    // SkipBuild: the folder exactly as it is, nothing installed.
    expect(await zipNames(functionZip(app, 'Skipped'))).toEqual(['__pycache__/app.cpython-312.pyc', 'app.py', 'requirements.txt']);
    // pyproject.toml with the pip build method: SAM installs nothing, and we say so.
    expect(await zipNames(functionZip(app, 'Project'))).toEqual(['app.py', 'pyproject.toml']);
    expect(result.stderr).toContain(
      "pyproject.toml: its dependencies are not installed, as sam build's pip workflow reads requirements.txt only"
    );
    expect(report.layers[1]?.warnings).toContain('a prebuilt python/ folder: shipped as it is, measured and checked, not slimmed');
  });

  test('a failing Makefile fails the build, quoting make', async () => {
    const broken = await sampleApp({ ...files, 'make/Makefile': 'build-MakeLayer:\n\t@echo boom >&2; exit 3\n' });
    await mkdir(path.join(broken.repo, 'artifacts'), { recursive: true });
    await writeFile(path.join(broken.repo, 'artifacts/layer.zip'), layerBytes);
    await writeFile(path.join(broken.repo, 'artifacts/fn.zip'), zipSync({ 'app.py': strToU8('def handler(e, c):\n    return 1\n') }));
    const result = await runCli(broken, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MakeLayer: make build-MakeLayer failed');
    expect(result.stderr).toContain('boom');
  });
});
