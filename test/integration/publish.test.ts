import { GetLayerVersionCommand, GetLayerVersionPolicyCommand, LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseTemplate } from '../../src/template/cfn-yaml.js';
import { discoverApp } from '../../src/template/discover.js';
import { BuildError, InputError } from '../../src/shared/errors.js';
import type { Logger } from '../../src/shared/logger.js';
import { makeAwsClients, resolveAwsSettings } from '../../src/aws/aws-clients.js';
import type { LayerPolicies } from '../../src/publish/layer-policies.js';
import { readManifest } from '../../src/rollback/manifest.js';
import { publishLayers, type PublishRequest } from '../../src/publish/publish-layers.js';
import type { PublishLimits } from '../../src/publish/publish-plan.js';
import type { Report } from '../../src/report/report.js';
import { isPublishLayerVersion, startFaultProxy } from '../helpers/fault-proxy.js';
import { createFunction, functionLayers, publishVersions, tinyZip } from '../helpers/lambda-setup.js';
import { MOTO_REGION, startMoto, useAwsEnv, type MotoServer } from '../helpers/moto-server.js';
import { layerReport, makeReport } from '../unit/fixtures.js';

const TEMPLATE = `Resources:
  CoreLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: !Sub "\${AWS::StackName}-core"
      ContentUri: layers/core/
      CompatibleRuntimes: [python3.12, python3.13]
      LicenseInfo: MIT
    Metadata: {BuildMethod: python3.12}
  MlLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: ml
      ContentUri: layers/ml/
      CompatibleRuntimes: [python3.12]
  Api:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "\${AWS::StackName}-api"
      CodeUri: functions/api/
      Handler: app.handler
      Runtime: python3.12
      Layers: [!Ref VendorLayerArn, !Ref CoreLayer, !Ref MlLayer]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/worker/
      Handler: app.handler
      Runtime: python3.12
      Layers: [!Ref MlLayer]
Parameters:
  VendorLayerArn: {Type: String}
`;
const TEMPLATE_FILE = '/repo/template.yaml';
const APP = discoverApp(parseTemplate(TEMPLATE, TEMPLATE_FILE), TEMPLATE_FILE, '/repo');
const STACK = 'shop';
/** Distinctive, so the test can prove it never reaches the log. */
const SECRET = 'SECRETxyz0123456789';

let moto: MotoServer;
let restoreEnv: () => void;
let lambda: LambdaClient;
let work: string;

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = useAwsEnv(moto.url);
  process.env['AWS_SECRET_ACCESS_KEY'] = SECRET;
  lambda = new LambdaClient({});
  work = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-publish-'));
});

afterAll(async () => {
  lambda?.destroy();
  restoreEnv?.();
  await moto?.stop();
  await rm(work, { recursive: true, force: true });
});

beforeEach(() => moto.reset());

/** A build's output: a zip per layer (content → zip), and the report pointing at them. */
async function writeBuild(name: string, contents: { core: string; ml: string }, sizes: Partial<Record<'core' | 'ml', number>> = {}) {
  const outDir = path.join(work, name);
  await mkdir(path.join(outDir, 'layers'), { recursive: true });
  const layers = [];
  for (const [id, key] of [
    ['CoreLayer', 'core'],
    ['MlLayer', 'ml']
  ] as const) {
    const zip = tinyZip(`python/${key}.py`, contents[key]);
    await writeFile(path.join(outDir, 'layers', `${id}.zip`), zip);
    layers.push(
      layerReport({
        name: id,
        zipFile: `layers/${id}.zip`,
        zippedBytes: zip.length,
        unzippedBytes: sizes[key] ?? contents[key].length,
        sha256: createHash('sha256').update(zip).digest('hex'),
        buildKey: `key-${key}`
      })
    );
  }
  return { outDir, report: makeReport({ layers }) };
}

function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    detail: (t, text) => lines.push(`${t}\n${text}`)
  };
}

interface Options {
  s3Bucket?: string;
  updateFunctions?: boolean;
  limits?: PublishLimits;
  policies?: LayerPolicies;
  env?: NodeJS.ProcessEnv;
}

async function publish(build: { outDir: string; report: Report }, options: Options = {}) {
  // The SDK reads AWS_ENDPOINT_URL from the process environment itself.
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_MAX_ATTEMPTS: '4', ...options.env });
  const clients = makeAwsClients(resolveAwsSettings(undefined, process.env));
  const logger = collectingLogger();
  const request: PublishRequest = {
    app: APP,
    report: build.report,
    outDir: build.outDir,
    stackName: STACK,
    s3Bucket: options.s3Bucket,
    manifestFile: path.join(build.outDir, 'rollback-manifest.json'),
    updateFunctions: options.updateFunctions ?? false,
    commit: 'c0ffee',
    ref: 'refs/tags/v1.0.0',
    now: new Date('2026-11-26T01:30:00Z'),
    limits: options.limits,
    policies: options.policies
  };
  try {
    const result = await publishLayers(clients, request, logger);
    const log = logger.lines.join('\n');
    expect(log).not.toContain(SECRET);
    expect(log).not.toMatch(/X-Amz-Signature|X-Amz-Credential/i);
    return { ...result, log, manifestFile: request.manifestFile };
  } finally {
    clients.lambda.destroy();
    clients.s3.destroy();
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

async function versionsOf(layerName: string): Promise<number[]> {
  const listed = await lambda.send(new ListLayerVersionsCommand({ LayerName: layerName }));
  return (listed.LayerVersions ?? []).map((v) => v.Version!).sort((a, b) => a - b);
}

const arnOf = (layerName: string, version: number) => `arn:aws:lambda:${MOTO_REGION}:123456789012:layer:${layerName}:${version}`;

test('first publish: version 1 of each layer, with the template settings; outputs and manifest', async () => {
  const build = await writeBuild('first', { core: 'CORE = 1\n', ml: 'ML = 1\n' });
  const result = await publish(build);
  expect(result.failures).toEqual([]);
  expect(result.layerArns).toEqual({ 'shop-core': arnOf('shop-core', 1), ml: arnOf('ml', 1) });
  expect(result.previousLayerArns).toEqual({});
  expect(await versionsOf('shop-core')).toEqual([1]);

  const core = await lambda.send(new GetLayerVersionCommand({ LayerName: 'shop-core', VersionNumber: 1 }));
  expect(core.CompatibleRuntimes).toEqual(['python3.12', 'python3.13']);
  expect(core.CompatibleArchitectures).toEqual(['x86_64']);
  expect(core.LicenseInfo).toBe('MIT');
  expect(core.Description).toMatch(/^lambda-layers@[\d.]+ build key-core commit c0ffee$/);
  expect(core.Content?.CodeSha256).toBe(Buffer.from(build.report.layers[0]!.sha256, 'hex').toString('base64'));

  // The manifest on disk is what the rollback reader accepts.
  const manifest = await readManifest(result.manifestFile, MOTO_REGION);
  expect(manifest).toEqual(result.manifest);
  expect(manifest).toMatchObject({ commit: 'c0ffee', ref: 'refs/tags/v1.0.0', createdAt: '2026-11-26T01:30:00.000Z' });
  expect(manifest.layers['CoreLayer']).toEqual({
    layerName: 'shop-core',
    status: 'published',
    arn: arnOf('shop-core', 1),
    previousArn: null,
    sha256: build.report.layers[0]!.sha256
  });
  // Neither function exists yet: lists from the template; the parameter layer is named in a warning.
  expect(manifest.functions).toEqual({
    Api: { functionName: 'shop-api', before: [], after: [arnOf('shop-core', 1), arnOf('ml', 1)] },
    Worker: { functionName: null, before: [], after: [arnOf('ml', 1)] }
  });
  expect(result.log).toContain(
    "warning: function Api: left out of the manifest's layer lists (not version ARNs): parameter VendorLayerArn"
  );
});

test('re-publishing the same build publishes nothing; changed content publishes version 2 with version 1 as previous', async () => {
  const first = await writeBuild('v1', { core: 'CORE = 1\n', ml: 'ML = 1\n' });
  await publish(first);
  const again = await publish(first);
  expect(again.failures).toEqual([]);
  expect(Object.values(again.manifest.layers).map((l) => l.status)).toEqual(['unchanged', 'unchanged']);
  expect(again.manifest.layers['CoreLayer']).toMatchObject({ arn: arnOf('shop-core', 1), previousArn: arnOf('shop-core', 1) });
  expect(again.log).toContain(`layer CoreLayer: unchanged, ${arnOf('shop-core', 1)} has the same zip`);
  expect(await versionsOf('shop-core')).toEqual([1]);
  expect(await versionsOf('ml')).toEqual([1]);

  const changed = await writeBuild('v2', { core: 'CORE = 2\n', ml: 'ML = 1\n' });
  const second = await publish(changed);
  expect(second.manifest.layers['CoreLayer']).toMatchObject({
    status: 'published',
    arn: arnOf('shop-core', 2),
    previousArn: arnOf('shop-core', 1)
  });
  expect(second.manifest.layers['MlLayer']).toMatchObject({ status: 'unchanged', arn: arnOf('ml', 1) });
  expect(second.layerArns).toEqual({ 'shop-core': arnOf('shop-core', 2), ml: arnOf('ml', 1) });
  expect(second.previousLayerArns).toEqual({ 'shop-core': arnOf('shop-core', 1), ml: arnOf('ml', 1) });
  expect(await versionsOf('shop-core')).toEqual([1, 2]);
});

test('keep-versions and sharing after each publish: old versions go, current and previous stay; the grant survives a re-run', async () => {
  // Three earlier releases of the core layer, then this one.
  await publishVersions(lambda, 'shop-core', 3);
  const policies: LayerPolicies = { keepVersions: 2, sharing: { accounts: ['111111111111'], organization: 'o-a1b2c3d4e5' } };
  const build = await writeBuild('policies', { core: 'CORE = 4\n', ml: 'ML = 1\n' });
  const first = await publish(build, { policies });
  expect(first.failures).toEqual([]);
  expect(first.manifest.layers['CoreLayer']).toMatchObject({ arn: arnOf('shop-core', 4), previousArn: arnOf('shop-core', 3) });
  expect(await versionsOf('shop-core')).toEqual([3, 4]);
  expect(first.log).toContain('shop-core: deleted old versions 1, 2 (keeping the newest 2)');
  const sids = async (layerName: string, version: number) => {
    const { Policy } = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: version }));
    return (JSON.parse(Policy!) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid);
  };
  const granted = ['lambda-layers-account-111111111111', 'lambda-layers-org-o-a1b2c3d4e5'];
  expect(await sids('shop-core', 4)).toEqual(granted);
  expect(await sids('ml', 1)).toEqual(granted);

  // The re-run publishes nothing, deletes nothing more and adds no second grant.
  const again = await publish(build, { policies });
  expect(again.failures).toEqual([]);
  expect(await versionsOf('shop-core')).toEqual([3, 4]);
  expect(await sids('shop-core', 4)).toEqual(granted);
});

test('live functions: before from their configuration, after applied with update-functions, other layers kept in order', async () => {
  const role = await moto.createRole();
  const [vendor] = await publishVersions(lambda, 'vendor', 1);
  await publish(await writeBuild('live1', { core: 'CORE = 1\n', ml: 'ML = 1\n' }));
  await createFunction(lambda, 'shop-api', role, [vendor!, arnOf('shop-core', 1), arnOf('ml', 1)]);

  const result = await publish(await writeBuild('live2', { core: 'CORE = 2\n', ml: 'ML = 2\n' }), { updateFunctions: true });
  expect(result.failures).toEqual([]);
  expect(result.manifest.functions['Api']).toEqual({
    functionName: 'shop-api',
    before: [vendor, arnOf('shop-core', 1), arnOf('ml', 1)],
    after: [vendor, arnOf('shop-core', 2), arnOf('ml', 2)]
  });
  expect((await functionLayers(lambda, 'shop-api')).layers).toEqual([vendor, arnOf('shop-core', 2), arnOf('ml', 2)]);
  // Worker has no FunctionName: it is left to the deploy.
  expect(result.log).toContain('function Worker: not updated, the template sets no FunctionName');
});

test('a zip over the direct-upload cap goes through S3 under a key with its hash', async () => {
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  const build = await writeBuild('large', { core: `CORE = '${randomBytes(600).toString('base64')}'\n`, ml: 'ML = 1\n' });
  const core = build.report.layers[0]!;
  // A cap between the two zips: core goes through S3, ml inline.
  const cap = (core.zippedBytes + build.report.layers[1]!.zippedBytes) / 2;
  const result = await publish(build, { s3Bucket: 'artifacts', limits: { directUploadBytes: cap, unzippedBytes: 262_144_000 } });
  expect(result.failures).toEqual([]);
  const key = `lambda-layers/shop-core/${core.sha256}.zip`;
  expect(result.log).toContain(`through s3://artifacts/${key}`);
  expect((await s3.send(new HeadObjectCommand({ Bucket: 'artifacts', Key: key }))).ContentLength).toBe(core.zippedBytes);
  const published = await lambda.send(new GetLayerVersionCommand({ LayerName: 'shop-core', VersionNumber: 1 }));
  expect(published.Content?.CodeSha256).toBe(Buffer.from(core.sha256, 'hex').toString('base64'));
  expect(result.log).not.toContain('layer MlLayer: published arn:aws:lambda:us-east-1:123456789012:layer:ml:1 through');
  s3.destroy();
});

test('a real zip over 52,428,800 bytes goes through S3 with the default limits', async () => {
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'big-artifacts' }));
  const build = await writeBuild('big', { core: 'CORE = 1\n', ml: 'ML = 1\n' });
  // Random bytes do not compress: the file is as large as a zip of them would be. Lambda (and moto) hash the bytes as they are.
  const big = randomBytes(52_428_800 + 1024);
  await writeFile(path.join(build.outDir, 'layers/MlLayer.zip'), big);
  const sha256 = createHash('sha256').update(big).digest('hex');
  build.report.layers[1] = { ...build.report.layers[1]!, zippedBytes: big.length, unzippedBytes: big.length, sha256 };
  const result = await publish(build, { s3Bucket: 'big-artifacts' });
  expect(result.failures).toEqual([]);
  expect(result.log).toContain(`layer MlLayer: published ${arnOf('ml', 1)} through s3://big-artifacts/lambda-layers/ml/${sha256}.zip`);
  const published = await lambda.send(new GetLayerVersionCommand({ LayerName: 'ml', VersionNumber: 1 }));
  expect(published.Content).toMatchObject({ CodeSha256: Buffer.from(sha256, 'hex').toString('base64'), CodeSize: big.length });
  s3.destroy();
});

describe('bad input: a clear error and nothing published', () => {
  async function nothingPublished(): Promise<void> {
    expect(await versionsOf('shop-core')).toEqual([]);
    expect(await versionsOf('ml')).toEqual([]);
  }

  test('a large layer without a bucket', async () => {
    const build = await writeBuild('nobucket', { core: `CORE = '${randomBytes(600).toString('base64')}'\n`, ml: 'ML = 1\n' });
    const error = await publish(build, { limits: { directUploadBytes: 300, unzippedBytes: 262_144_000 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^nothing published: \/repo\/template.yaml:2: layer CoreLayer's zip is \d+ bytes, over the 300-byte direct upload: set the s3-bucket input/
    );
    await nothingPublished();
  });

  test('a layer over 262,144,000 bytes unzipped', async () => {
    const build = await writeBuild('huge', { core: 'CORE = 1\n', ml: 'ML = 1\n' }, { ml: 262_144_001 });
    const error = await publish(build).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as Error).message).toContain(
      "/repo/template.yaml:10: layer MlLayer is 250.0 MiB (262144001 bytes) unzipped, over Lambda's 262144000 bytes"
    );
    await nothingPublished();
  });

  test('no credentials', async () => {
    const build = await writeBuild('nocreds', { core: 'CORE = 1\n', ml: 'ML = 1\n' });
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    delete process.env['AWS_ACCESS_KEY_ID'];
    delete process.env['AWS_SECRET_ACCESS_KEY'];
    try {
      const error = await publish(build).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain('no AWS credentials found: use aws-actions/configure-aws-credentials');
    } finally {
      process.env['AWS_ACCESS_KEY_ID'] = saved.id;
      process.env['AWS_SECRET_ACCESS_KEY'] = saved.secret;
    }
    await nothingPublished();
  });
});

describe('faults', () => {
  test('500, 429 and a dropped connection mid-publish are retried; one version each, no duplicates', async () => {
    const proxy = await startFaultProxy(moto.url);
    try {
      proxy.inject([500, 429, 'drop'], isPublishLayerVersion);
      proxy.inject([500]); // on whatever comes next: a listing or a lookup
      const build = await writeBuild('faults', { core: 'CORE = 1\n', ml: 'ML = 1\n' });
      const result = await publish(build, { env: { AWS_ENDPOINT_URL: proxy.url } });
      expect(result.failures).toEqual([]);
      expect(proxy.pending()).toBe(0);
      expect(proxy.seen.filter((r) => r.startsWith('POST /2018-10-31/layers/')).length).toBeGreaterThanOrEqual(5);
      expect(await versionsOf('shop-core')).toEqual([1]);
      expect(await versionsOf('ml')).toEqual([1]);
    } finally {
      await proxy.close();
    }
  });

  test('one layer failing does not hide the other; the re-run publishes only what is missing', async () => {
    const proxy = await startFaultProxy(moto.url);
    const build = await writeBuild('partial', { core: 'CORE = 1\n', ml: 'ML = 1\n' });
    try {
      // More faults than attempts, on ml's publish only: core goes through, ml fails for good.
      proxy.inject(['drop', 500, 'drop', 500], (req) => isPublishLayerVersion(req) && req.url!.includes('/layers/ml/'));
      const interrupted = await publish(build, { env: { AWS_ENDPOINT_URL: proxy.url } });
      expect(interrupted.failures).toHaveLength(1);
      expect(interrupted.failures[0]).toMatch(/^layer MlLayer \(ml\): /);
      expect(interrupted.manifest.layers['CoreLayer']).toMatchObject({ status: 'published', arn: arnOf('shop-core', 1) });
      expect(interrupted.manifest.layers['MlLayer']).toMatchObject({ status: 'failed', arn: null, previousArn: null });
      expect(interrupted.layerArns).toEqual({ 'shop-core': arnOf('shop-core', 1) });
      // The manifest on disk says the same, and is valid.
      expect((await readManifest(interrupted.manifestFile)).layers['MlLayer']?.status).toBe('failed');
    } finally {
      await proxy.close();
    }
    const rerun = await publish(build);
    expect(rerun.failures).toEqual([]);
    expect(rerun.manifest.layers['CoreLayer']?.status).toBe('unchanged');
    expect(rerun.manifest.layers['MlLayer']).toMatchObject({ status: 'published', arn: arnOf('ml', 1), previousArn: null });
    expect(await versionsOf('shop-core')).toEqual([1]);
    expect(await versionsOf('ml')).toEqual([1]);
  });
});
