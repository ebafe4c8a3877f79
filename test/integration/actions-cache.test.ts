import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { STAGE_ROOT } from '../../src/github/actions-cache.js';
import { runnerCacheEnv, startCacheServer, type CacheServer } from '../helpers/cache-server.js';
import { pipInstalls, runAction } from '../helpers/run-action.js';
import { makeSampleApp, type SampleApp } from '../helpers/sample-app.js';

let app: SampleApp;
let server: CacheServer;
let runnerTemp: string;
beforeAll(async () => {
  app = await makeSampleApp();
  server = await startCacheServer();
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-runner-temp-'));
});
afterAll(async () => {
  await server.close();
  await rm(app.base, { recursive: true, force: true });
  await rm(runnerTemp, { recursive: true, force: true });
});

const cacheEnv = (resultsUrl: string, run: string) => runnerCacheEnv(resultsUrl, runnerTemp, path.join(app.base, `local-cache-${run}`));

describe('the per-layer cache through the real @actions/cache against a local cache service', () => {
  test('a first run misses, builds and saves every layer under its build key', async () => {
    const result = await runAction(app, { out: 'out-1' }, cacheEnv(server.url, '1'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual([]);
    expect(pipInstalls(result.stdout)).toEqual(['layer CoreLayer', 'layer MlLayer', 'function Predict']);
    const keys = [...server.entries.values()].filter((e) => e.finalized).map((e) => e.key);
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key).toMatch(/^lambda-layers-build-[0-9a-f]{32}$/);
    expect(server.calls.filter((c) => c === 'GetCacheEntryDownloadURL')).toHaveLength(3);
    // The staging folders are gone.
    const staged = await readdir(STAGE_ROOT).catch(() => []);
    for (const key of keys) expect(staged).not.toContain(key.replace('lambda-layers-build-', ''));
  });

  test('a second run on fresh folders restores every layer and installs nothing', async () => {
    server.calls.length = 0;
    const result = await runAction(app, { out: 'out-2' }, cacheEnv(server.url, '2'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual(['CoreLayer', 'MlLayer']);
    expect(pipInstalls(result.stdout)).toEqual([]);
    expect(server.calls).not.toContain('CreateCacheEntry');
    expect(result.stdout).toMatch(/CoreLayer\s.*cached/);
    expect(result.outputs['within-limits']).toBe('true');
  });

  test('a changed requirement misses for that layer and the layers built on it only', async () => {
    await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\ntiny-vendor-a==1.0\n');
    const result = await runAction(app, { out: 'out-3' }, cacheEnv(server.url, '3'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual(['CoreLayer']);
    expect(pipInstalls(result.stdout)).toEqual(['layer MlLayer', 'function Predict']);
  });
});
