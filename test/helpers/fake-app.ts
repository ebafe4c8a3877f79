/** A small SAM app on disk and what the engine needs to build it in-process with the fake tools. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FakeDist } from '../fixtures/packages.js';
import type { InputName } from '../../src/settings/inputs.js';
import { resolveSettings, type Settings } from '../../src/settings/settings.js';
import { actionInputsFrom } from '../unit/fixtures.js';
import type { Logger } from '../../src/shared/logger.js';
import type { SourceLocation } from '../../src/shared/errors.js';
import { writeFiles } from './sample-app.js';
import { SYMBOLS, NEEDS_SYMBOLS } from './fake-tools.js';
import { loadApp, type LoadedApp } from '../../src/template/load-app.js';
import { FolderCache } from '../../src/cache/folder-cache.js';
import { pipInstaller } from '../../src/install/choose-installer.js';
import type { InstallContext } from '../../src/install/install-requirements.js';
import { platformFor } from '../../src/lambda/platform.js';
import { planBuild, slimSettings, type BuildPlan } from '../../src/plan/plan.js';
import { prepareSlimContext, type SlimContext } from '../../src/slim/slim-context.js';
import type { Tools } from '../../src/tools/tools.js';

export const TODAY = new Date('2026-01-15T00:00:00Z');

/** A clock that moves on 1 ms each time it is read: every timed phase lasts a whole number of ticks, deterministically. */
export function tickingClock(): () => number {
  let now = 0;
  return () => ++now;
}

/** MlLayer comes first in the template but stacks on CoreLayer: it must be built second. */
export const FAKE_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Architectures: [x86_64]
Resources:
  MlLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/ml/
      CompatibleRuntimes: [python3.12]
  CoreLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/core/
      CompatibleRuntimes: [python3.12]
  Validate:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/validate/
      Handler: app.handler
      Layers: [!Ref CoreLayer]
  Predict:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/predict/
      Handler: app.handler
      Layers: [!Ref CoreLayer, !Ref MlLayer]
`;

export const FAKE_INDEX: FakeDist[] = [
  {
    name: 'core-lib',
    version: '1.0',
    files: [
      { path: 'core_lib/__init__.py', content: 'from core_lib import util\n' },
      { path: 'core_lib/util.py', content: '"""Helpers."""\nVALUE = 1\n' },
      { path: 'core_lib/util.pyi', content: 'VALUE: int\n' },
      { path: 'core_lib/tests/test_util.py', content: 'def test(): pass\n' },
      { path: 'core_lib/_speed.so', content: `ELF code${SYMBOLS} ${'symbols '.repeat(100)}` },
      { path: 'core_lib/_fragile.so', content: `ELF ${NEEDS_SYMBOLS} code${SYMBOLS} ${'symbols '.repeat(50)}` }
    ]
  },
  { name: 'ml-lib', version: '0.5', requires: ['core-lib'] },
  { name: 'ml-lib', version: '0.6', requires: ['core-lib'] },
  { name: 'helper', version: '0.1' },
  { name: 'boto3', version: '1.34.0' },
  {
    name: 'bad-lib',
    version: '1.0',
    files: [
      { path: 'bad_lib/__init__.py', content: 'import bad_lib.tests.fixtures\n' },
      { path: 'bad_lib/tests/fixtures.py', content: 'DATA = 1\n' }
    ]
  }
];

export const FAKE_FILES: Record<string, string> = {
  'template.yaml': FAKE_TEMPLATE,
  'layers/core/requirements.txt': '# core\ncore-lib==1.0\n',
  'layers/ml/requirements.txt': 'ml-lib==0.5\n',
  'functions/validate/app.py': 'import core_lib\n\ndef handler(event, context):\n    return core_lib.util.VALUE\n',
  'functions/predict/app.py': 'import ml_lib, helper\n\ndef handler(event, context):\n    return 1\n',
  'functions/predict/requirements.txt': 'helper==0.1\n'
};

export interface FakeApp {
  base: string;
  repo: string;
  settings: Settings;
  remove(): Promise<void>;
}

/** Writes the app (FAKE_FILES with overrides) into a fresh temp folder, its cache beside it. */
export async function makeFakeApp(
  overrides: Record<string, string> = {},
  inputs: Partial<Record<InputName, string>> = {}
): Promise<FakeApp> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-fake-'));
  const repo = path.join(base, 'repo');
  await writeFiles(repo, { ...FAKE_FILES, ...overrides });
  const settings = resolveSettings(actionInputsFrom({ 'cache-dir': path.join(base, 'cache'), ...inputs }), repo, {});
  return { base, repo, settings, remove: () => rm(base, { recursive: true, force: true }) };
}

export interface Logged {
  level: 'info' | 'warning' | 'error' | 'detail';
  message: string;
  where?: SourceLocation;
}

/** A logger that keeps what it was told, to assert on. */
export function recordingLogger(): Logger & { logged: Logged[] } {
  const logged: Logged[] = [];
  return {
    logged,
    info: (message) => logged.push({ level: 'info', message }),
    warning: (message, where) => logged.push({ level: 'warning', message, where }),
    error: (message, where) => logged.push({ level: 'error', message, where }),
    detail: (message) => logged.push({ level: 'detail', message })
  };
}

export interface PlannedApp {
  loaded: LoadedApp;
  plan: BuildPlan;
  slim: SlimContext;
  ctx: InstallContext;
  logger: ReturnType<typeof recordingLogger>;
}

/** The app loaded and planned as the pipeline does before it builds, for tests of one build step. */
export async function planFakeApp(app: FakeApp, tools: Tools): Promise<PlannedApp> {
  const { settings } = app;
  const loaded = await loadApp(settings, {});
  const pip = tools.pip(settings.python);
  const slim = await prepareSlimContext(
    [...loaded.app.layers, ...loaded.app.functions].map((spec) => platformFor(spec.runtime, spec.architecture)),
    slimSettings(loaded.config, settings),
    loaded.config.pythons,
    tools
  );
  const plan = planBuild(loaded.app, loaded.files.texts, loaded.config, settings, await pip.identity(), TODAY, slim.processing);
  const logger = recordingLogger();
  const ctx: InstallContext = {
    pip,
    installWith: pipInstaller(pip, plan.installer),
    make: tools.make,
    installer: plan.installer,
    pipArgs: plan.pipArgs,
    allowSdist: plan.allowSdist,
    cache: new FolderCache(settings.cacheDir),
    logger,
    workDir: path.join(settings.outDir, '.work')
  };
  return { loaded, plan, slim, ctx, logger };
}
