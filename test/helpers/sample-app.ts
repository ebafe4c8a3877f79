import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeIndex, type FakeDist } from '../fixtures/packages.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'dist/cli/index.js');

/** Tiny distributions for a two-layer app; the fixtures build them as real wheels. */
/** A vendored library two projects ship byte for byte, as numpy.libs and scipy.libs do. */
const SHARED_LIB = Buffer.alloc(70 * 1024, 'vendored library ');

export const TINY_DISTS: Array<FakeDist & { sdistOnly?: boolean }> = [
  ...(['a', 'b'] as const).map((x) => ({
    name: `tiny-vendor-${x}`,
    version: '1.0',
    files: [
      { path: `tiny_vendor_${x}/__init__.py`, content: '' },
      { path: `tiny_vendor_${x}.libs/libshared-1.so`, content: SHARED_LIB }
    ]
  })),
  { name: 'tiny-core', version: '1.0', requires: ['tiny-dep>=1'] },
  { name: 'tiny-dep', version: '1.2' },
  { name: 'tiny-dep', version: '2.0' },
  { name: 'tiny-ml', version: '0.5', requires: ['tiny-core'] },
  { name: 'tiny-native', version: '3.1', tag: 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64' },
  { name: 'tiny-new-glibc', version: '1.0', tag: 'cp312-cp312-manylinux_2_39_x86_64' },
  { name: 'tiny-helper', version: '0.1' },
  { name: 'tiny-source', version: '1.0', sdistOnly: true },
  {
    // What slimming must remove, and what it must keep.
    name: 'tiny-rich',
    version: '1.0',
    entryPoints: '[tiny.plugins]\nrich = tiny_rich.core:hello\n',
    files: [
      { path: 'tiny_rich/__init__.py', content: 'from tiny_rich import core, examples\n' },
      {
        path: 'tiny_rich/core.py',
        content: '"""Greets: a docstring."""\n\ndef hello():\n    assert hello, "an assert"\n    return "hi"\n'
      },
      { path: 'tiny_rich/core.pyi', content: 'def hello() -> str: ...\n' },
      { path: 'tiny_rich/tests/__init__.py', content: '' },
      { path: 'tiny_rich/tests/test_core.py', content: 'def test(): pass\n' },
      { path: 'tiny_rich/_src/fast.pyx', content: '# cython\n' },
      { path: 'tiny_rich/_src/fast.c', content: 'int x;\n' },
      { path: 'tiny_rich/_src/fast.h', content: 'int x;\n' },
      { path: 'tiny_rich/docs/index.rst', content: 'docs\n' },
      { path: 'tiny_rich/examples/__init__.py', content: 'EXAMPLE = 1\n' },
      { path: 'tiny_rich/LICENSE.txt', content: 'MIT\n' },
      { path: 'tiny_rich/zoneinfo/UTC', content: 'TZif\n' }
    ]
  }
];

export const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Runtime: python3.12
    Architectures: [x86_64]
Resources:
  CoreLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: !Sub "\${AWS::StackName}-core"
      ContentUri: layers/core/
      CompatibleRuntimes: [python3.12]
    Metadata:
      BuildMethod: python3.12
  MlLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: ml
      ContentUri: layers/ml/
      CompatibleRuntimes: [python3.12]
  Validate:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/validate/
      Handler: app.handler
      Layers: [!Ref CoreLayer]
      Environment:
        Variables:
          STAGE: !Ref Stage
          ARN: !GetAtt MlLayer.Arn
  Predict:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/predict/
      Handler: app.handler
      Layers:
        - !Ref CoreLayer
        - !Ref MlLayer
Outputs:
  Name:
    Value: !Join ['-', [!Ref Stage, x]]
`;

export interface SampleApp {
  /** Holds index/, cache/ and repo/. */
  base: string;
  repo: string;
  index: string;
  cache: string;
}

/** Writes files (path relative to the repo -> content). */
export async function writeFiles(repo: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
    await writeFile(path.join(repo, rel), content);
  }
}

/** A temp repo with a two-layer SAM app whose requirements resolve from a local index of tiny wheels. */
export async function makeSampleApp(overrides: Record<string, string> = {}): Promise<SampleApp> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-app-'));
  const index = await makeIndex(path.join(base, 'index'), TINY_DISTS);
  const repo = path.join(base, 'repo');
  await writeFiles(repo, {
    'template.yaml': TEMPLATE,
    'lambda-layers.yaml': `pipArgs: ["--no-index", "--find-links", "${index}"]\n`,
    'layers/core/requirements.txt': '# core\ntiny-core==1.0\ntiny-native==3.1\n',
    'layers/ml/requirements.txt': 'tiny-ml==0.5\n',
    'functions/validate/app.py': 'import tiny_core\n\ndef handler(event, context):\n    return tiny_core.__version__\n',
    'functions/predict/app.py': 'import tiny_ml, tiny_helper\n\ndef handler(event, context):\n    return 1\n',
    'functions/predict/requirements.txt': 'tiny-helper==0.1\ntiny-core\n',
    ...overrides
  });
  return { base, repo, index, cache: path.join(base, 'cache') };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** pip sees only the test's index: the machine's pip config and PIP_* variables are left out. */
export function hermeticEnv(app: SampleApp, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PIP_') && !k.startsWith('INPUT_')) env[k] = v;
  return { ...env, PIP_CONFIG_FILE: os.devNull, XDG_CACHE_HOME: app.cache, ...extra };
}

/** Runs a command to completion; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the shipped CLI (dist/) in the sample repo. */
export function runCli(app: SampleApp, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], { cwd: app.repo, env: hermeticEnv(app, extraEnv) });
}
