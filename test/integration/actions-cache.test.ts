import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STAGE_ROOT } from '../../src/cache/actions-cache.js';
import { useCacheFixture } from '../helpers/cache-server.js';
import { pipInstalls, runAction } from '../helpers/run-action.js';

const fx = useCacheFixture();

const finalized = (prefix: string) =>
  [...fx.server.entries.values()].filter((e) => e.finalized && e.key.startsWith(prefix)).map((e) => e.key);
/**
 * pip's cache folder: one path, as ~/.cache/pip on a runner (the path is part of the entry's version), emptied
 * before each run as on a fresh machine. pip does not cache the test's local index, so the first run seeds it.
 */
const pipCache = () => path.join(fx.app.base, 'pip-cache');
const DOWNLOAD = 'http-v2/seeded-download';
async function runFresh(run: string) {
  await rm(pipCache(), { recursive: true, force: true });
  if (run === '1') {
    await mkdir(path.join(pipCache(), 'http-v2'), { recursive: true });
    await writeFile(path.join(pipCache(), DOWNLOAD), 'a wheel pip downloaded');
  }
  return runAction(fx.app, { out: `out-${run}` }, { ...fx.env(fx.server.url, run), PIP_CACHE_DIR: pipCache() });
}

describe('the per-layer cache through the real @actions/cache against a local cache service', () => {
  test("a first run misses, builds and saves every layer under its build key, and pip's cache", async () => {
    const result = await runFresh('1');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual([]);
    expect(pipInstalls(result.stdout)).toEqual(['layer CoreLayer', 'layer MlLayer', 'function Predict']);
    // Two layers, the function's own requirements, and the verification of each function (they passed).
    const keys = finalized('lambda-layers-build-');
    expect(keys).toHaveLength(5);
    for (const key of keys) expect(key).toMatch(/^lambda-layers-build-[0-9a-f]{32}$/);
    expect(finalized('lambda-layers-pip-')).toEqual([
      expect.stringMatching(new RegExp(`^lambda-layers-pip-${process.platform}-${process.arch}-[0-9a-f]{32}$`))
    ]);
    expect(fx.server.calls.filter((c) => c === 'GetCacheEntryDownloadURL')).toHaveLength(6);
    // The staging folders are gone.
    const staged = await readdir(STAGE_ROOT).catch(() => []);
    for (const key of keys) expect(staged).not.toContain(key.replace('lambda-layers-build-', ''));
  });

  test("a second run on fresh folders restores every layer and installs nothing: pip's cache is not even looked up", async () => {
    fx.server.calls.length = 0;
    fx.server.lookups.length = 0;
    const result = await runFresh('2');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual(['CoreLayer', 'MlLayer']);
    expect(pipInstalls(result.stdout)).toEqual([]);
    // pip's cache is restored when pip first runs: here it never does, so nothing is downloaded for it, nor saved.
    expect(fx.server.lookups.filter((key) => !key.startsWith('lambda-layers-build-'))).toEqual([]);
    expect(existsSync(path.join(pipCache(), DOWNLOAD))).toBe(false);
    expect(fx.server.calls).not.toContain('CreateCacheEntry');
    expect(result.stdout).toMatch(/CoreLayer\s.*cached/);
    expect(result.outputs['within-limits']).toBe('true');
  });

  test('a changed requirement misses for that layer and the layers built on it only', async () => {
    await writeFile(path.join(fx.app.repo, 'layers/ml/requirements.txt'), 'tiny-ml==0.5\ntiny-vendor-a==1.0\n');
    const result = await runFresh('3');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual(['CoreLayer']);
    expect(pipInstalls(result.stdout)).toEqual(['layer MlLayer', 'function Predict']);
    // New requirements: pip's cache starts from the last one (restore key), and is saved under the new key.
    expect(result.stdout).toContain('Cache hit for restore-key: lambda-layers-pip-');
    expect(await readFile(path.join(pipCache(), DOWNLOAD), 'utf8')).toBe('a wheel pip downloaded');
    expect(finalized('lambda-layers-pip-')).toHaveLength(2);
  });
});
