import { refusedUrl, useCacheFixture } from '../helpers/cache-server.js';
import { pipInstalls, runAction } from '../helpers/run-action.js';

const fx = useCacheFixture();

describe('a cache outage never fails the step', () => {
  test('refused connections: the step stays green, warns, and builds', async () => {
    const result = await runAction(fx.app, { out: 'out-4', layers: 'MlLayer' }, fx.env(await refusedUrl(), '4'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '::warning::Failed to restore: Failed to GetCacheEntryDownloadURL: Unable to make request: ECONNREFUSED'
    );
    // Refused connections fail fast: pip's cache, each install and the verification try the cache, warn, and go on.
    expect(pipInstalls(result.stdout)).toEqual(['layer CoreLayer', 'layer MlLayer', 'function Predict']);
    expect(result.stdout.match(/::warning::Failed to restore/g)).toHaveLength(5);
    expect(JSON.parse(result.outputs['cache-hits'] ?? '')).toEqual([]);
  });

  test('a service answering 500: one retry cycle, then the run builds without the cache and stays green', async () => {
    fx.server.mode = 'fail';
    fx.server.calls.length = 0;
    // One layer keeps the run short: the retry cycle alone takes ~30 s.
    const result = await runAction(fx.app, { out: 'out-5', layers: 'CoreLayer' }, fx.env(fx.server.url, '5'));
    fx.server.mode = 'ok';
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('::warning::the GitHub Actions cache is failing or slow: building without it for the rest of this run');
    expect(pipInstalls(result.stdout)).toEqual(['layer CoreLayer']);
    expect(result.outputs['within-limits']).toBe('true');
    // @actions/cache tries the first lookup five times; nothing after it calls the service again.
    expect(fx.server.calls).toEqual(Array(5).fill('GetCacheEntryDownloadURL'));
  }, 90_000);
});
