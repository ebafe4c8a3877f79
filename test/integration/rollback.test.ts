import type { LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/shared/errors.js';
import type { Logger } from '../../src/shared/logger.js';
import type { RollbackManifest } from '../../src/rollback/manifest.js';
import { runRollback, type RollbackSettings } from '../../src/rollback/run-rollback.js';
import { startFaultProxy, type Fault } from '../helpers/fault-proxy.js';
import { createFunction, functionLayers, publishVersions } from '../helpers/lambda-setup.js';
import { useMotoLambda } from '../helpers/moto-lambda.js';
import { AWS_ENV_TO_CLEAR, MOTO_REGION, type MotoServer } from '../helpers/moto-server.js';
import { runAction } from '../helpers/action-runner.js';
import { CLI, run } from '../helpers/sample-app.js';

const aws = useMotoLambda();
let moto: MotoServer;
let lambda: LambdaClient;
let work: string;

beforeAll(async () => {
  ({ moto, lambda } = aws);
  work = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-rollback-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What a release published: core 1 → 2, utils unchanged at 1, fresh published for the first time; an external layer the functions also use. */
interface Release {
  core: string[];
  utils: string[];
  fresh: string[];
  external: string[];
  manifest: RollbackManifest;
}

async function release(): Promise<Release> {
  await moto.reset();
  const role = await moto.createRole();
  const core = await publishVersions(lambda, 'stack-core', 2);
  const utils = await publishVersions(lambda, 'stack-utils', 1);
  const fresh = await publishVersions(lambda, 'stack-fresh', 1);
  const external = await publishVersions(lambda, 'vendor-tools', 1);
  // After the release: the external layer first, then ours at their new versions.
  await createFunction(lambda, 'stack-api', role, [external[0]!, core[1]!, utils[0]!]);
  await createFunction(lambda, 'stack-worker', role, [core[1]!]);
  const manifest: RollbackManifest = {
    version: 1,
    region: MOTO_REGION,
    createdAt: new Date().toISOString(),
    commit: 'abc',
    ref: 'refs/tags/v1.1.0',
    layers: {
      CoreLayer: { layerName: 'stack-core', status: 'published', arn: core[1]!, previousArn: core[0]!, sha256: '1'.repeat(64) },
      UtilsLayer: { layerName: 'stack-utils', status: 'unchanged', arn: utils[0]!, previousArn: utils[0]!, sha256: '2'.repeat(64) },
      FreshLayer: { layerName: 'stack-fresh', status: 'published', arn: fresh[0]!, previousArn: null, sha256: '3'.repeat(64) }
    },
    functions: {
      Api: { functionName: 'stack-api', before: [external[0]!, core[0]!, utils[0]!], after: [external[0]!, core[1]!, utils[0]!] },
      Worker: { functionName: 'stack-worker', before: [core[0]!], after: [core[1]!] },
      Cron: { functionName: null, before: [core[0]!], after: [core[1]!] }
    }
  };
  return { core, utils, fresh, external, manifest };
}

async function writeManifestText(name: string, text: string): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, text);
  return file;
}

function collectingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    detail: () => undefined
  };
  return { lines, logger };
}

function settings(manifestFile: string, extra: Partial<RollbackSettings> = {}): RollbackSettings {
  return { manifestFile, region: MOTO_REGION, print: false, parameterNames: {}, parameterNamesInput: '--parameter', ...extra };
}

/** Runs `fn` with the SDK pointed at a fault proxy in front of moto; returns what it returned and every request seen. */
async function viaProxy<T>(fn: () => Promise<T>, faults: Fault[] = [], matches?: (req: IncomingMessage) => boolean) {
  const proxy = await startFaultProxy(moto.url);
  proxy.inject(faults, matches);
  const saved = process.env['AWS_ENDPOINT_URL'];
  process.env['AWS_ENDPOINT_URL'] = proxy.url;
  try {
    return { result: await fn(), seen: [...proxy.seen], pending: proxy.pending() };
  } finally {
    process.env['AWS_ENDPOINT_URL'] = saved;
    await proxy.close();
  }
}

/** UpdateFunctionConfiguration: PUT /2015-03-31/functions/<name>/configuration. */
const isUpdate = (request: string) => /^PUT \/2015-03-31\/functions\/[^/]+\/configuration/.test(request);

async function snapshot() {
  return { api: await functionLayers(lambda, 'stack-api'), worker: await functionLayers(lambda, 'stack-worker') };
}

test('rollback puts the functions back on version 1, the external layer intact and in order; a re-run changes nothing', async () => {
  const { core, utils, external, manifest } = await release();
  const file = await writeManifestText('manifest.json', JSON.stringify(manifest));
  const { lines, logger } = collectingLogger();

  const result = await runRollback(settings(file), process.env, logger);
  if (result.mode !== 'update') throw new Error('expected an update');
  expect(result.outcome.ok).toBe(true);
  expect(result.outcome.firstPublished).toEqual(['FreshLayer']);
  expect(result.outcome.functions.map((f) => [f.logicalId, f.status])).toEqual([
    ['Api', 'rolled-back'],
    ['Worker', 'rolled-back'],
    ['Cron', 'no-function-name']
  ]);
  const after = await snapshot();
  expect(after.api.layers).toEqual([external[0], core[0], utils[0]]);
  expect(after.worker.layers).toEqual([core[0]]);
  expect(lines).toContain(
    'warning: FreshLayer (stack-fresh) cannot be rolled back: this release published its first version, there is no previous one'
  );
  expect(lines.join('\n')).toMatch(/Cron: skipped, its physical name is not known/);

  // moto keeps RevisionId and LastModified on updates, so the proof that nothing changed is the requests.
  const { result: again, seen } = await viaProxy(() => runRollback(settings(file), process.env, collectingLogger().logger));
  if (again.mode !== 'update') throw new Error('expected an update');
  expect(again.outcome.functions.map((f) => f.status)).toEqual(['already-rolled-back', 'already-rolled-back', 'no-function-name']);
  expect(seen.filter(isUpdate)).toEqual([]);
  expect(seen.length).toBeGreaterThan(0);
  expect(await snapshot()).toEqual(after);
});

test('throttling and 5xx on the update are retried; the rollback completes', async () => {
  const { core, manifest } = await release();
  const file = await writeManifestText('faults.json', JSON.stringify(manifest));
  const { result, seen, pending } = await viaProxy(
    () => runRollback(settings(file), process.env, collectingLogger().logger),
    [429, 500],
    (req) => isUpdate(`${req.method} ${req.url}`)
  );
  if (result.mode !== 'update') throw new Error('expected an update');
  expect(pending).toBe(0);
  expect(result.outcome.ok).toBe(true);
  // Two faulted tries, then one update per function.
  expect(seen.filter(isUpdate)).toHaveLength(4);
  expect((await functionLayers(lambda, 'stack-worker')).layers).toEqual([core[0]]);
});

test('a function on a first-published layer keeps it, the rest is rolled back, and the run fails', async () => {
  const { core, fresh, manifest } = await release();
  await createFunction(lambda, 'stack-new', await moto.createRole('other'), [fresh[0]!, core[1]!]);
  manifest.functions = { New: { functionName: 'stack-new', before: [], after: [fresh[0]!, core[1]!] } };
  const file = await writeManifestText('fresh.json', JSON.stringify(manifest));
  const result = await runRollback(settings(file), process.env, collectingLogger().logger);
  if (result.mode !== 'update') throw new Error('expected an update');
  expect(result.outcome.ok).toBe(false);
  expect(result.outcome.functions[0]).toMatchObject({ status: 'rolled-back', noPrevious: ['FreshLayer'] });
  expect((await functionLayers(lambda, 'stack-new')).layers).toEqual([fresh[0], core[0]]);
});

test('a missing function fails on its own; the others are rolled back', async () => {
  const { core, manifest } = await release();
  manifest.functions = { Gone: { functionName: 'stack-gone', before: [], after: [] }, ...manifest.functions };
  const file = await writeManifestText('gone.json', JSON.stringify(manifest));
  const result = await runRollback(settings(file), process.env, collectingLogger().logger);
  if (result.mode !== 'update') throw new Error('expected an update');
  expect(result.outcome.ok).toBe(false);
  expect(result.outcome.functions[0]).toMatchObject({
    logicalId: 'Gone',
    status: 'failed',
    error: 'no function named stack-gone in us-east-1'
  });
  expect((await functionLayers(lambda, 'stack-worker')).layers).toEqual([core[0]]);
});

test('print mode returns the previous ARNs and changes nothing', async () => {
  const { core, utils, manifest } = await release();
  const file = await writeManifestText('print.json', JSON.stringify(manifest));
  const before = await snapshot();
  const { result, seen } = await viaProxy(() =>
    runRollback(settings(file, { print: true, parameterNames: { CoreLayer: 'CoreLayerArn' } }), process.env, collectingLogger().logger)
  );
  expect(result).toMatchObject({ mode: 'print', overrides: [`CoreLayerArn=${core[0]}`, `UtilsLayer=${utils[0]}`] });
  // Print mode makes no AWS call at all.
  expect(seen).toEqual([]);
  expect(await snapshot()).toEqual(before);
});

describe('bad input: a clear error and nothing changed', () => {
  let file: string;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    const { manifest } = await release();
    file = await writeManifestText('good.json', JSON.stringify(manifest));
    before = await snapshot();
  });

  afterEach(async () => {
    expect(await snapshot()).toEqual(before);
  });

  async function failure(promise: Promise<unknown>): Promise<Error> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(InputError);
    return error as Error;
  }

  test('a malformed manifest', async () => {
    const text = (await readFile(file, 'utf8')).replace(
      '"previousArn":"arn:aws:lambda:us-east-1:123456789012:layer:stack-core:1"',
      '"previousArn":"stack-core:1"'
    );
    const bad = await writeManifestText('bad.json', text);
    expect((await failure(runRollback(settings(bad), process.env, collectingLogger().logger))).message).toBe(
      `${bad}: layers.CoreLayer.previousArn: not a layer version ARN: "stack-core:1"`
    );
  });

  test('not JSON, and a missing file', async () => {
    const bad = await writeManifestText('truncated.json', (await readFile(file, 'utf8')).slice(0, 40));
    expect((await failure(runRollback(settings(bad), process.env, collectingLogger().logger))).message).toMatch(
      /truncated\.json: not JSON: /
    );
    const missing = path.join(work, 'missing.json');
    expect((await failure(runRollback(settings(missing), process.env, collectingLogger().logger))).message).toBe(
      `${missing}: cannot read the manifest: ENOENT`
    );
  });

  test('an ARN of another region than the manifest, and a client in another region', async () => {
    const text = (await readFile(file, 'utf8')).replace(
      'us-east-1:123456789012:layer:stack-core:1',
      'eu-west-1:123456789012:layer:stack-core:1'
    );
    const bad = await writeManifestText('region.json', text);
    expect((await failure(runRollback(settings(bad), process.env, collectingLogger().logger))).message).toBe(
      `${bad}: layers.CoreLayer.previousArn: ARN of region eu-west-1, but the manifest is for us-east-1`
    );
    expect((await failure(runRollback(settings(file, { region: 'eu-west-1' }), process.env, collectingLogger().logger))).message).toBe(
      `${file}: region: the manifest is for us-east-1, but the region is eu-west-1`
    );
  });

  test('no credentials', async () => {
    const saved = { ...process.env };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', ...AWS_ENV_TO_CLEAR]) delete process.env[name];
    try {
      const error = await failure(runRollback(settings(file), process.env, collectingLogger().logger));
      expect(error.message).toMatch(/^no AWS credentials found/);
    } finally {
      Object.assign(process.env, saved);
    }
  });
});

describe('the dist action and CLI, as the runner runs them', () => {
  test('INPUT_COMMAND=rollback rolls back and writes the job summary', async () => {
    const { core, external, utils, manifest } = await release();
    await writeManifestText('dist.json', JSON.stringify(manifest));
    const result = await runAction(work, { command: 'rollback', manifest: 'dist.json' }, process.env);
    expect(result.stdout).not.toContain('::error');
    expect(result.code).toBe(0);
    expect((await snapshot()).api.layers).toEqual([external[0], core[0], utils[0]]);
    expect(result.summary).toContain('### Rollback done');
    expect(result.summary).toContain('| Api | stack\\-api | rolled back |');
    expect(result.stdout).toContain('::warning::FreshLayer (stack-fresh) cannot be rolled back');
    expect(result.stdout).not.toMatch(/testing|AWS_SECRET/);
  });

  test('rollback-mode print sets parameter-overrides; a bad manifest fails the step', async () => {
    const { core, utils, manifest } = await release();
    await writeManifestText('dist-print.json', JSON.stringify(manifest));
    const before = await snapshot();
    const printed = await runAction(work, { command: 'rollback', manifest: 'dist-print.json', 'rollback-mode': 'print' }, process.env);
    expect(printed.code).toBe(0);
    expect(printed.outputs['parameter-overrides']).toBe(`CoreLayer=${core[0]} UtilsLayer=${utils[0]}`);
    expect(printed.summary).toContain(`sam deploy --parameter-overrides CoreLayer=${core[0]}`);

    await writeManifestText('dist-bad.json', '{"version": 2}');
    const failed = await runAction(work, { command: 'rollback', manifest: 'dist-bad.json' }, process.env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('::error::');
    expect(failed.stdout).toContain('dist-bad.json: version: expected 1, got 2');
    expect(await snapshot()).toEqual(before);
  });

  test('lambda-layers rollback: --help, --print, exit codes', async () => {
    const { core, utils, external, manifest } = await release();
    const file = await writeManifestText('cli.json', JSON.stringify(manifest));
    const cli = (args: string[]) => run(process.execPath, [CLI, 'rollback', ...args], { cwd: work, env: process.env });

    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--manifest', '--region', '--print', '--parameter']) expect(help.stdout).toContain(flag);

    const printed = await cli(['--manifest', file, '--print', '--parameter', 'UtilsLayer=UtilsArn']);
    expect(printed.code).toBe(0);
    expect(printed.stdout.trim()).toBe(`CoreLayer=${core[0]} UtilsArn=${utils[0]}`);

    expect((await cli(['--manifest', file, '--region', 'eu-west-1'])).code).toBe(2);
    expect((await cli(['--manifest', file, '--bogus'])).code).toBe(2);

    const rolled = await cli(['--manifest', file]);
    expect(rolled.code).toBe(0);
    expect((await snapshot()).api.layers).toEqual([external[0], core[0], utils[0]]);
  });
});
