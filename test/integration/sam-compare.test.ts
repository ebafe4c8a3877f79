/**
 * Ground truth: where `sam` (aws-sam-cli) is installed, the same app is built by `sam build` and by
 * `lambda-layers build --no-slim`, and every artifact is compared file by file (path and bytes).
 * SAM_CLI names the executable (default `sam` on PATH); without it the test is skipped, saying so.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { platformFor } from '../../src/lambda/platform.js';
import { findTargetPython } from '../../src/tools/python-finder.js';
import { hermeticEnv, makeSampleApp, run, runCli, type SampleApp } from '../helpers/sample-app.js';

const SAM = process.env['SAM_CLI'] ?? 'sam';

// pip's install records, which SAM's packager does not leave (nor list in RECORD): the one expected difference.
const PIP_RECORDS = /\.dist-info\/(INSTALLER|REQUESTED)$/;

/** A file's hash; a RECORD as its sorted lines (pip rewrites it sorted, CRLF) without pip's install records. */
function digest(name: string, data: Uint8Array): string {
  const text = name.endsWith('.dist-info/RECORD')
    ? Buffer.from(data)
        .toString('utf8')
        .split(/\r?\n/)
        .filter((line) => line && !PIP_RECORDS.test(line.split(',')[0] ?? ''))
        .sort()
        .join('\n')
    : data;
  return createHash('sha256').update(text).digest('hex');
}

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  SharedLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: shared/, CompatibleRuntimes: [python3.12]}
    Metadata: {BuildMethod: python3.12}
  CodeOnlyLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: common/, CompatibleRuntimes: [python3.12]}
    Metadata: {BuildMethod: python3.12}
  Api:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: api/, Handler: app.handler, Runtime: python3.12, Layers: [!Ref SharedLayer, !Ref CodeOnlyLayer]}
  Plain:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: plain/, Handler: app.handler, Runtime: python3.12}
`;

const FILES = {
  'template.yaml': TEMPLATE,
  'shared/requirements.txt': "tiny-core==1.0\ntiny-native==3.1\ntiny-dep==1.2; python_version < '3.10'\n",
  'shared/helpers.py': 'import tiny_core\n',
  'shared/shared_utils/__init__.py': '',
  'shared/shared_utils/data/config.json': '{}\n',
  'shared/__pycache__/helpers.cpython-312.pyc': 'stale',
  'shared/.venv/x.py': '',
  'common/common.py': 'C = 1\n',
  'api/app.py': 'import helpers, common\n\ndef handler(event, context):\n    return 1\n',
  'api/.pytest_cache/x': '',
  'plain/app.py': 'import tiny_rich\n\ndef handler(event, context):\n    return 1\n',
  'plain/requirements.txt': 'tiny-rich==1.0\n'
};

async function samTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const rel of await readdir(dir, { recursive: true })) {
    const full = path.join(dir, rel);
    const name = rel.split(path.sep).join('/');
    if ((await stat(full)).isFile()) files.set(name, digest(name, await readFile(full)));
  }
  return files;
}

async function zipTree(zipFile: string): Promise<Map<string, string>> {
  const entries = unzipSync(await readFile(zipFile));
  return new Map(
    Object.entries(entries)
      .filter(([name]) => !name.endsWith('/') && !PIP_RECORDS.test(name))
      .map(([name, data]) => [name, digest(name, data)])
  );
}

/** `sam --version`, or undefined when SAM CLI does not run here: the comparison is then reported as skipped. */
function samCliVersion(): string | undefined {
  try {
    return execFileSync(SAM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    console.warn(`sam-compare skipped: "${SAM} --version" does not run (install aws-sam-cli, or set SAM_CLI)`);
    return undefined;
  }
}

const samVersion = samCliVersion();
let app: SampleApp | undefined;
afterAll(async () => {
  if (app) await rm(app.base, { recursive: true, force: true });
});

(samVersion ? test : test.skip)(
  'sam build and lambda-layers build --no-slim ship the same files, byte for byte',
  async () => {
    app = await makeSampleApp(FILES);
    const python = await findTargetPython(platformFor('python3.12', 'x86_64'), {}, process.env);
    if (!python) throw new Error('no CPython 3.12 on this machine for sam build');
    // SAM's pip runs with the runtime's Python from PATH and reads the test's index from pip's environment.
    const env = hermeticEnv(app, {
      PATH: `${path.dirname(python.path)}:${process.env['PATH'] ?? ''}`,
      PIP_NO_INDEX: '1',
      PIP_FIND_LINKS: app.index,
      SAM_CLI_TELEMETRY: '0'
    });
    const sam = await run(SAM, ['build'], { cwd: app.repo, env });
    expect(sam.stderr + sam.stdout).toContain('Build Succeeded');
    const ours = await runCli(app, ['build', '--no-slim']);
    expect(ours.code).toBe(0);
    for (const [name, kind] of [
      ['SharedLayer', 'layers'],
      ['CodeOnlyLayer', 'layers'],
      ['Api', 'functions'],
      ['Plain', 'functions']
    ] as const) {
      const expected = await samTree(path.join(app.repo, '.aws-sam/build', name));
      const actual = await zipTree(path.join(app.repo, '.lambda-layers', kind, `${name}.zip`));
      expect({ name, files: Object.fromEntries([...actual].sort()) }).toEqual({ name, files: Object.fromEntries([...expected].sort()) });
    }
  },
  180_000
);
