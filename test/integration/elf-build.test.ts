import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeIndex } from '../fixtures/packages.js';
import type { Report } from '../../src/report/report.js';
import { runCli, writeFiles, type SampleApp } from '../helpers/sample-app.js';
import { moduleNeedingGlibc238, nativeModule } from '../helpers/tiny-elf.js';

/** The ELF checks through the shipped CLI (dist/): a shared object that cannot load on Lambda fails the build by name. */

const HOST_ARCH = os.arch() === 'arm64' ? 'arm64' : 'x86_64';
const OTHER_ARCH = os.arch() === 'arm64' ? 'x86_64' : 'arm64';

const template = (runtime: string, architecture: string) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  CoreLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/core/
      CompatibleRuntimes: [${runtime}]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/fn/
      Handler: app.handler
      Runtime: ${runtime}
      Architectures: [${architecture}]
      Layers: [!Ref CoreLayer]
`;

let app: SampleApp;
beforeAll(async () => {
  const base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-elf-app-'));
  const scratch = path.join(base, 'cc');
  await mkdir(path.join(scratch, 'glibc'), { recursive: true });
  const index = await makeIndex(path.join(base, 'index'), [
    {
      name: 'tiny-planted',
      version: '1.0',
      files: [
        { path: 'tiny_planted/__init__.py', content: '' },
        { path: 'tiny_planted/_speedups.so', content: await nativeModule(scratch, '_speedups') }
      ]
    },
    {
      name: 'tiny-glibc',
      version: '1.0',
      files: [
        { path: 'tiny_glibc/__init__.py', content: '' },
        { path: 'tiny_glibc/_new.so', content: await moduleNeedingGlibc238(path.join(scratch, 'glibc')) }
      ]
    }
  ]);
  app = { base, repo: path.join(base, 'repo'), index, cache: path.join(base, 'cache') };
  await writeFiles(app.repo, {
    'lambda-layers.yaml': `pipArgs: ["--no-index", "--find-links", "${index}"]\n`,
    'functions/fn/app.py': 'import tiny_planted\n\ndef handler(event, context):\n    return 1\n'
  });
});
afterAll(() => rm(app.base, { recursive: true, force: true }));

async function build(runtime: string, architecture: string, requirements: string, out: string) {
  await writeFiles(app.repo, { 'template.yaml': template(runtime, architecture), 'layers/core/requirements.txt': requirements });
  const result = await runCli(app, ['build', '--out', out]);
  const report = JSON.parse(await readFile(path.join(app.repo, out, 'report.json'), 'utf8')) as Report;
  return { result, fn: report.functions[0]! };
}

test(`a module built for ${HOST_ARCH} passes its ELF checks there, and fails an ${OTHER_ARCH} build by name`, async () => {
  const native = await build('python3.12', HOST_ARCH, 'tiny-planted==1.0\n', '.native');
  expect(native.result.code).toBe(0);
  expect(native.fn.verification).toMatchObject({ status: 'passed', level: 'target-cpu', elf: { files: 1, problems: [] } });

  const planted = await build('python3.12', OTHER_ARCH, 'tiny-planted==1.0\n', '.planted');
  expect(planted.result.code).toBe(1);
  const problem = `/opt/python/tiny_planted/_speedups.so (layer CoreLayer): built for ${os.arch() === 'arm64' ? 'aarch64' : 'x86_64'}, but the function runs on ${OTHER_ARCH}`;
  expect(planted.result.stderr).toContain(`function Fn: ${problem}`);
  expect(planted.fn.verification).toMatchObject({ status: 'failed', elf: { files: 1, problems: [expect.stringContaining(problem)] } });
});

test('a module needing GLIBC_2.38 fails a python3.11 build by name, with the symbol', async () => {
  const { result, fn } = await build('python3.11', HOST_ARCH, 'tiny-planted==1.0\ntiny-glibc==1.0\n', '.glibc');
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    'function Fn: /opt/python/tiny_glibc/_new.so (layer CoreLayer): needs GLIBC_2.38 (memfd_secret_like), but python3.11 has glibc 2.26'
  );
  expect(fn.verification.status).toBe('failed');
});
