import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STAGE_ROOT } from '../../src/github/actions-cache.js';
import { useCacheFixture } from '../helpers/cache-server.js';
import { pipInstalls, runAction } from '../helpers/run-action.js';

const fx = useCacheFixture();

describe('the per-layer cache through the real @actions/cache against a local cache service', () => {
  test('a first run misses, builds and saves every layer under its build key', async () => {
    const result = await runAction(fx.app, { out: 'out-1' }, fx.env(fx.server.url, '1'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual([]);
    expect(pipInstalls(result.stdout)).toEqual(['layer CoreLayer', 'layer MlLayer', 'function Predict']);
    const keys = [...fx.server.entries.values()].filter((e) => e.finalized).map((e) => e.key);
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key).toMatch(/^lambda-layers-build-[0-9a-f]{32}$/);
    expect(fx.server.calls.filter((c) => c === 'GetCacheEntryDownloadURL')).toHaveLength(3);
    // The staging folders are gone.
    const staged = await readdir(STAGE_ROOT).catch(() => []);
    for (const key of keys) expect(staged).not.toContain(key.replace('lambda-layers-build-', ''));
  });

  test('a second run on fresh folders restores every layer and installs nothing', async () => {
    fx.server.calls.length = 0;
    const result = await runAction(fx.app, { out: 'out-2' }, fx.env(fx.server.url, '2'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual(['CoreLayer', 'MlLayer']);
    expect(pipInstalls(result.stdout)).toEqual([]);
    expect(fx.server.calls).not.toContain('CreateCacheEntry');
    expect(result.stdout).toMatch(/CoreLayer\s.*cached/);
    expect(result.outputs['within-limits']).toBe('true');
  });

  test('a changed requirement misses for that layer and the layers built on it only', async () => {
    await writeFile(path.join(fx.app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\ntiny-vendor-a==1.0\n');
    const result = await runAction(fx.app, { out: 'out-3' }, fx.env(fx.server.url, '3'));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual(['CoreLayer']);
    expect(pipInstalls(result.stdout)).toEqual(['layer MlLayer', 'function Predict']);
  });
});
