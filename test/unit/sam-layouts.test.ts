/**
 * Real SAM app layouts (test/fixtures/sam-layouts, in the shapes SAM's documentation describes),
 * read from disk the way a build reads them: samconfig.toml, nested templates, code folders.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApp, readTemplateApp } from '../../src/template/load-app.js';
import type { App } from '../../src/template/app-model.js';
import { makeSettings } from './fixtures.js';

const LAYOUTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sam-layouts');

function settingsFor(layout: string, parameterOverrides?: Record<string, string>) {
  const dir = path.join(LAYOUTS, layout);
  return makeSettings({
    workingDirectory: dir,
    templateFile: path.join(dir, 'template.yaml'),
    outDir: path.join(dir, '.lambda-layers'),
    ...(parameterOverrides ? { parameterOverrides } : {})
  });
}

/** What a reader checks first: each resource's name, folder (relative), Python and architecture. */
function summary(app: App) {
  const rel = (dir: string) => path.relative(path.dirname(app.templateFile), dir);
  return {
    layers: app.layers.map((l) => [l.name, rel(l.contentDir), l.runtime, l.architecture]),
    functions: app.functions.map((f) => [
      f.name,
      rel(f.codeDir),
      f.handler,
      f.runtime,
      f.architecture,
      f.layers.map((l) => (l.kind === 'template' ? l.name : `external ${l.ref}`))
    ]),
    skipped: app.skipped
  };
}

test('Fn::ForEach: one function per item of the CommaDelimitedList parameter', async () => {
  const { app } = await loadApp(settingsFor('for-each'), {});
  expect(summary(app)).toEqual({
    layers: [['CommonLayer', 'layers/common', 'python3.12', 'arm64']],
    functions: [
      ['OrdersFunction', 'functions/Orders', 'app.handler', 'python3.12', 'arm64', ['CommonLayer']],
      ['UsersFunction', 'functions/Users', 'app.handler', 'python3.12', 'arm64', ['CommonLayer']]
    ],
    skipped: []
  });
  expect(app.functions.map((f) => f.functionName)).toEqual(['${AWS::StackName}-Orders', '${AWS::StackName}-Users']);
});

test('nested application: the child stack is followed, its resources named under its path, the parent layer passed in', async () => {
  const { app } = await loadApp(settingsFor('nested-app'), {});
  expect(summary(app)).toEqual({
    layers: [
      ['SharedLayer', 'layers/shared', 'python3.13', 'x86_64'],
      ['OrdersApp/OrdersDeps', 'orders/deps', 'python3.13', 'x86_64']
    ],
    functions: [
      ['OrdersApp/OrdersFunction', 'orders/src', 'orders.handler', 'python3.13', 'x86_64', ['SharedLayer', 'OrdersApp/OrdersDeps']]
    ],
    skipped: ['AuthApp: a Serverless Application Repository app: its functions are built by their publisher, not here']
  });
  expect(app.functions[0]?.location).toEqual({ file: path.join(LAYOUTS, 'nested-app/orders/template.yaml'), line: 20 });
});

test('AWS::Lambda::Function and AWS::Lambda::LayerVersion with local code; inline and S3 code listed as skipped', async () => {
  const { app } = await loadApp(settingsFor('lambda-resources'), {});
  expect(summary(app)).toEqual({
    layers: [['UtilsLayer', 'layer', 'python3.11', 'x86_64']],
    functions: [['ProcessFunction', 'function', 'handler.main', 'python3.11', 'x86_64', ['UtilsLayer']]],
    skipped: ['InlineFunction: inline code, so nothing is built', 'ArchivedFunction: its code is in S3, so it is not built']
  });
});

describe('parameters', () => {
  test("samconfig.toml's parameter_overrides (default.build) over the Defaults: conditions, mappings, !Sub, !Join follow", async () => {
    const { app } = await loadApp(settingsFor('parameters'), {});
    expect(summary(app)).toEqual({
      layers: [['DepsLayer', 'layers/deps-prod', 'python3.13', 'arm64']],
      functions: [
        ['ApiFunction', 'functions/api', 'prod_app.handler', 'python3.13', 'arm64', ['DepsLayer']],
        ['WorkerFunction', 'functions/worker', 'worker.handler', 'python3.13', 'arm64', ['DepsLayer']]
      ],
      skipped: []
    });
  });

  test('--parameter-overrides replace samconfig.toml, as in SAM: the Defaults apply to the rest', async () => {
    const { app } = await readTemplateApp(settingsFor('parameters', { Environment: 'dev' }), {});
    expect(summary(app)).toEqual({
      layers: [['DepsLayer', 'layers/deps-dev', 'python3.12', 'x86_64']],
      functions: [['ApiFunction', 'functions/api', 'dev_app.handler', 'python3.12', 'x86_64', ['DepsLayer']]],
      skipped: ['WorkerFunction: its code is in S3, so it is not built']
    });
  });

  test('an override outside AllowedValues is bad input naming the template', async () => {
    await expect(readTemplateApp(settingsFor('parameters', { Environment: 'qa' }), {})).rejects.toThrow(
      `${path.join(LAYOUTS, 'parameters/template.yaml')}: parameter Environment: "qa" is not one of its AllowedValues (dev, prod)`
    );
  });
});
