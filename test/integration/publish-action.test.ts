import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readManifest } from '../../src/rollback/manifest.js';
import { runAction } from '../helpers/action-runner.js';
import { isPublishLayerVersion, startFaultProxy } from '../helpers/fault-proxy.js';
import { AWS_ENV_TO_CLEAR, MOTO_REGION, startMoto, type MotoServer } from '../helpers/moto-server.js';
import { CLI, hermeticEnv, makeSampleApp, run, type SampleApp } from '../helpers/sample-app.js';

let app: SampleApp;
let moto: MotoServer;
let lambda: LambdaClient;

beforeAll(async () => {
  [app, moto] = await Promise.all([makeSampleApp(), startMoto()]);
  const env = moto.env();
  lambda = new LambdaClient({
    region: MOTO_REGION,
    endpoint: moto.url,
    credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID']!, secretAccessKey: env['AWS_SECRET_ACCESS_KEY']! }
  });
});

afterAll(async () => {
  lambda?.destroy();
  await moto?.stop();
  await rm(app.base, { recursive: true, force: true });
});

/** The runner's environment on a tag push, pointed at moto (or a proxy in front of it); nothing reaches real AWS. */
function runnerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = hermeticEnv(app, {
    ...moto.env(),
    GITHUB_REF: 'refs/tags/v1.0.0',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SHA: 'a'.repeat(40),
    ...extra
  });
  for (const name of AWS_ENV_TO_CLEAR) if (!(name in moto.env())) delete env[name];
  return env;
}

const RELEASE_INPUTS = { 'publish-on': 'v*', 'stack-name': 'shop', region: MOTO_REGION };
const arnOf = (layerName: string, version: number) => `arn:aws:lambda:${MOTO_REGION}:123456789012:layer:${layerName}:${version}`;

async function versionsOf(layerName: string): Promise<number[]> {
  const listed = await lambda.send(new ListLayerVersionsCommand({ LayerName: layerName }));
  return (listed.LayerVersions ?? []).map((v) => v.Version!).sort((a, b) => a - b);
}

test('a tag-triggered run publishes each layer once; re-running the release publishes nothing', async () => {
  await moto.reset();
  const first = await runAction(app.repo, RELEASE_INPUTS, runnerEnv());
  expect(first.stdout).not.toContain('::error');
  expect(first.code).toBe(0);
  expect(JSON.parse(first.outputs['layer-arns'] ?? '')).toEqual({ 'shop-core': arnOf('shop-core', 1), ml: arnOf('ml', 1) });
  expect(JSON.parse(first.outputs['previous-layer-arns'] ?? '')).toEqual({});
  const manifestFile = path.join(app.repo, '.lambda-layers/rollback-manifest.json');
  expect(first.outputs['manifest']).toBe(manifestFile);
  const manifest = await readManifest(manifestFile, MOTO_REGION);
  expect(manifest).toMatchObject({ commit: 'a'.repeat(40), ref: 'refs/tags/v1.0.0' });
  expect(Object.keys(manifest.functions).sort()).toEqual(['Predict', 'Validate']);
  expect(manifest.functions['Predict']).toEqual({ functionName: null, before: [], after: [arnOf('shop-core', 1), arnOf('ml', 1)] });
  expect(first.summary).toContain('### Layer versions published for refs/tags/v1\\.0\\.0'); // markdown-escaped: a tag name is shown, never rendered
  expect(first.summary).toContain(`| CoreLayer | shop\\-core | published | \`${arnOf('shop-core', 1)}\` |`);
  expect(first.summary).toContain('"version": 1');
  expect(first.stdout).not.toMatch(/AWS_SECRET|X-Amz-Signature/);

  const again = await runAction(app.repo, RELEASE_INPUTS, runnerEnv());
  expect(again.code).toBe(0);
  expect(JSON.parse(again.outputs['layer-arns'] ?? '')).toEqual({ 'shop-core': arnOf('shop-core', 1), ml: arnOf('ml', 1) });
  expect(JSON.parse(again.outputs['previous-layer-arns'] ?? '')).toEqual({ 'shop-core': arnOf('shop-core', 1), ml: arnOf('ml', 1) });
  expect(again.summary).toContain('| MlLayer | ml | unchanged |');
  expect(await versionsOf('shop-core')).toEqual([1]);
  expect(await versionsOf('ml')).toEqual([1]);
});

test('a branch push builds only', async () => {
  await moto.reset();
  const result = await runAction(app.repo, RELEASE_INPUTS, runnerEnv({ GITHUB_REF: 'refs/heads/main' }));
  expect(result.code).toBe(0);
  expect(result.outputs['within-limits']).toBe('true');
  expect(result.outputs['layer-arns']).toBeUndefined();
  expect(await versionsOf('shop-core')).toEqual([]);
});

test('the dist action survives 500, 429 and a dropped connection mid-publish', async () => {
  await moto.reset();
  const proxy = await startFaultProxy(moto.url);
  try {
    proxy.inject([500, 429, 'drop'], isPublishLayerVersion);
    const result = await runAction(app.repo, { ...RELEASE_INPUTS, command: 'publish' }, runnerEnv({ AWS_ENDPOINT_URL: proxy.url }));
    expect(result.stdout).not.toContain('::error');
    expect(result.code).toBe(0);
    expect(proxy.pending()).toBe(0);
    expect(JSON.parse(result.outputs['layer-arns'] ?? '')).toEqual({ 'shop-core': arnOf('shop-core', 1), ml: arnOf('ml', 1) });
  } finally {
    await proxy.close();
  }
  expect(await versionsOf('shop-core')).toEqual([1]);
  expect(await versionsOf('ml')).toEqual([1]);
});

test('bad publish input fails the step before the build, nothing published: a stack name the template needs, no region', async () => {
  await moto.reset();
  const noStack = await runAction(app.repo, { command: 'publish' }, runnerEnv());
  expect(noStack.code).toBe(1);
  expect(noStack.stdout).toMatch(
    /::error file=template.yaml,line=12::.*LayerName "\$\{AWS::StackName\}-core" uses \$\{AWS::StackName\}: set the stack-name input/
  );
  expect(noStack.stdout).not.toContain(': building');
  const env = runnerEnv();
  delete env['AWS_REGION'];
  delete env['AWS_DEFAULT_REGION'];
  const noRegion = await runAction(app.repo, { command: 'publish', 'stack-name': 'shop' }, env);
  expect(noRegion.code).toBe(1);
  expect(noRegion.stdout).toContain('::error::no AWS region: set the region input (--region)');
  expect(noRegion.stdout).not.toContain(': building');
  expect(await versionsOf('shop-core')).toEqual([]);
});

describe('lambda-layers publish', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = runnerEnv({ GITHUB_REF: '', GITHUB_SHA: '' })) =>
    run(process.execPath, [CLI, 'publish', ...args], { cwd: app.repo, env });

  test('publishes, prints the ARNs as JSON, and publishes nothing the second time', async () => {
    await moto.reset();
    const first = await cli(['--stack-name', 'shop', '--manifest', 'out/manifest.json']);
    expect(first.stderr).not.toContain('error:');
    expect(first.code).toBe(0);
    const printed: unknown = JSON.parse(first.stdout.slice(first.stdout.lastIndexOf('{\n  "layerArns"')));
    expect(printed).toEqual({ layerArns: { 'shop-core': arnOf('shop-core', 1), ml: arnOf('ml', 1) }, previousLayerArns: {} });
    // The commit comes from git when GITHUB_SHA is not set (the sample repo is not a git repository: unknown).
    expect((await readManifest(path.join(app.repo, 'out/manifest.json'))).commit).toBeNull();
    const second = await cli(['--stack-name', 'shop']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`layer CoreLayer: unchanged, ${arnOf('shop-core', 1)} has the same zip`);
    expect(await versionsOf('shop-core')).toEqual([1]);
  });

  test('--help lists the publish flags and the build flags', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--region',
      '--stack-name',
      '--s3-bucket',
      '--manifest',
      '--update-functions',
      '--template',
      '--out',
      '--cache-dir'
    ]) {
      expect(help.stdout).toContain(`  ${flag}`);
    }
  });

  test('bad input exits 2 with nothing published: no credentials, a malformed bucket', async () => {
    await moto.reset();
    const noCredentials = runnerEnv();
    delete noCredentials['AWS_ACCESS_KEY_ID'];
    delete noCredentials['AWS_SECRET_ACCESS_KEY'];
    const result = await cli(['--stack-name', 'shop'], noCredentials);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: no AWS credentials found');
    const badBucket = await cli(['--stack-name', 'shop', '--s3-bucket', 'Not_A_Bucket']);
    expect(badBucket.code).toBe(2);
    expect(badBucket.stderr).toContain('error: --s3-bucket must be an S3 bucket name');
    expect(await versionsOf('shop-core')).toEqual([]);
  });
});
