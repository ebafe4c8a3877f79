import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CacheService } from '../../src/cache/actions-cache.js';
import { installerCachePrefix, restoreInstallerCache, withInstallerCaches } from '../../src/cache/installer-cache.js';
import { measure } from '../../src/commands/measure.js';
import { platformFor } from '../../src/lambda/platform.js';
import { systemPip } from '../../src/tools/pip.js';
import type { Installer } from '../../src/tools/tools.js';
import { findUv, uvCacheDirOf } from '../../src/tools/uv.js';
import { useInProcessCache } from '../helpers/cache-server.js';
import { FAKE_INDEX, makeFakeApp, TODAY, tickingClock } from '../helpers/fake-app.js';
import { fakeTools } from '../helpers/fake-tools.js';
import { actionInputsFrom } from '../unit/fixtures.js';

/**
 * The installers' own caches (pip's, uv's) in this process against the local cache service, through the real
 * @actions/cache, with the cache folders pip and uv report themselves (`pip cache dir`, `uv cache dir`).
 */
const fx = useInProcessCache('installer-cache');

const finalized = (prefix: string) =>
  [...fx.server.entries.values()].filter((e) => e.finalized && e.key.startsWith(prefix)).map((e) => e.key);
const texts = (requirements: string) => ({
  texts: new Map([[path.join(fx.work, 'app/requirements.txt'), requirements]]),
  workingDirectory: path.join(fx.work, 'app')
});
/** A cache folder as an installer leaves it: one download in it. */
async function seeded(dir: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'download'), text);
}

const uv = await findUv('python3', process.env);
if (!uv) console.warn('test/integration/installer-cache.test.ts: uv not found (on PATH, or as python3 -m uv): its tests are skipped');
const withUv = uv ? describe : describe.skip;

withUv("uv's cache, where `uv cache dir` says", () => {
  const uvDir = () => path.join(fx.work, 'uv-cache');
  const uvAt = async (env: NodeJS.ProcessEnv) => (await findUv('python3', { ...process.env, ...env }))!;

  test('UV_CACHE_DIR is honoured; a relative folder is taken from where uv runs', async () => {
    expect(await (await uvAt({ UV_CACHE_DIR: uvDir() })).cacheDir()).toBe(uvDir());
    expect(await (await uvAt({ UV_CACHE_DIR: 'relative-uv-cache' })).cacheDir()).toBe(path.resolve('relative-uv-cache'));
    expect(uvCacheDirOf('warning: something\n/home/runner/.cache/uv\n')).toBe('/home/runner/.cache/uv');
    expect(uvCacheDirOf('')).toBeUndefined();
  });

  test('a miss saves the folder under its own key after the build, never under a pip key', async () => {
    await seeded(uvDir(), 'a wheel uv downloaded');
    const cache = await restoreInstallerCache(
      await uvAt({ UV_CACHE_DIR: uvDir() }),
      texts('tiny==1.0\n'),
      new CacheService(fx.logger),
      fx.logger
    );
    await cache?.save();
    expect(finalized(installerCachePrefix('uv'))).toEqual([
      expect.stringMatching(new RegExp(`^lambda-layers-uv-${process.platform}-${process.arch}-[0-9a-f]{32}$`))
    ]);
    expect(finalized('lambda-layers-pip-')).toEqual([]);
    expect(fx.warnings).toEqual([]);
  });

  test('the same requirements on a fresh machine restore it exactly, and it is not saved again', async () => {
    await rm(uvDir(), { recursive: true, force: true });
    fx.server.calls.length = 0;
    const cache = await restoreInstallerCache(
      await uvAt({ UV_CACHE_DIR: uvDir() }),
      texts('tiny==1.0\n'),
      new CacheService(fx.logger),
      fx.logger
    );
    expect(await readFile(path.join(uvDir(), 'download'), 'utf8')).toBe('a wheel uv downloaded');
    await cache?.save();
    expect(fx.server.calls).not.toContain('CreateCacheEntry');
  });

  test("changed requirements start from the last entry (restore key) and save under their own key; pip's key finds none", async () => {
    await rm(uvDir(), { recursive: true, force: true });
    const service = new CacheService(fx.logger);
    const cache = await restoreInstallerCache(await uvAt({ UV_CACHE_DIR: uvDir() }), texts('tiny==2.0\n'), service, fx.logger);
    expect(await readFile(path.join(uvDir(), 'download'), 'utf8')).toBe('a wheel uv downloaded');
    await cache?.save();
    expect(finalized(installerCachePrefix('uv'))).toHaveLength(2);
    // pip's cache under the same requirements: its own prefix, so uv's entries are not restored into pip's folder.
    const pipDir = path.join(fx.work, 'pip-cache');
    const pip = systemPip('python3', { ...process.env, PIP_CACHE_DIR: pipDir });
    await restoreInstallerCache({ name: 'pip', cacheDir: () => pip.cacheDir() }, texts('tiny==2.0\n'), service, fx.logger);
    expect(await readFile(path.join(pipDir, 'download'), 'utf8').catch(() => 'nothing')).toBe('nothing');
  });

  test('an empty folder is not saved', async () => {
    fx.server.calls.length = 0;
    const empty = path.join(fx.work, 'uv-empty');
    await mkdir(empty, { recursive: true });
    const cache = await restoreInstallerCache(
      await uvAt({ UV_CACHE_DIR: empty }),
      texts('other==1.0\n'),
      new CacheService(fx.logger),
      fx.logger
    );
    await rm(empty, { recursive: true, force: true });
    await mkdir(empty);
    await cache?.save();
    expect(fx.server.calls).not.toContain('CreateCacheEntry');
  });

  test("uv's cache turned off (UV_NO_CACHE): nothing restored or saved, no call to the service", async () => {
    fx.server.calls.length = 0;
    const off = await uvAt({ UV_CACHE_DIR: uvDir(), UV_NO_CACHE: '1' });
    expect(await off.cacheDir()).toBeUndefined();
    expect(await restoreInstallerCache(off, texts('tiny==1.0\n'), new CacheService(fx.logger), fx.logger)).toBeUndefined();
    expect(fx.server.calls).toEqual([]);
  });

  test("uv's cache is restored just before uv's first install, once, and saved after it ran", async () => {
    const restored: string[] = [];
    let saves = 0;
    const caches = withInstallerCaches({ ...fakeTools(), uv: () => uvAt({ UV_CACHE_DIR: uvDir() }) }, (installer) => {
      restored.push(installer.name);
      return Promise.resolve({ save: () => Promise.resolve(void (saves += 1)) });
    });
    const found = (await caches.tools.uv('python3'))!;
    await found.cacheDir();
    expect(restored).toEqual([]);
    // A requirements file that is not there: uv fails at once, but it ran, twice.
    const install = () =>
      found.install({
        platform: platformFor('python3.12', 'x86_64'),
        requirementsFile: path.join(fx.work, 'no-such-requirements.txt'),
        targetDir: path.join(fx.work, 'target'),
        findLinks: [],
        pipArgs: []
      });
    await Promise.all([install(), install()]);
    expect(restored).toEqual(['uv']);
    await caches.save();
    expect(saves).toBe(1);
  });
});

test('a cache folder that cannot be found is a warning, never a failed build', async () => {
  const failing = { name: 'uv' as const, cacheDir: () => Promise.reject(new Error('uv crashed')) };
  await expect(restoreInstallerCache(failing, texts('tiny==1.0\n'), new CacheService(fx.logger), fx.logger)).resolves.toBeUndefined();
  expect(fx.warnings).toEqual(["uv's cache was not restored: uv crashed"]);
});

describe('measure: the cache of each installer the build ran, and only those', () => {
  test("installer uv keeps uv's cache, not pip's; installer pip then keeps pip's and does not look for uv; a cached build looks up neither", async () => {
    const app = await makeFakeApp({}, { installer: 'uv' });
    const [pipDir, uvDir] = [path.join(app.base, 'pip-cache'), path.join(app.base, 'uv-cache')];
    await seeded(pipDir, 'from pip');
    await seeded(uvDir, 'from uv');
    const tools = fakeTools({ index: FAKE_INDEX });
    tools.pipFake.cacheDir = () => Promise.resolve(pipDir);
    let uvAsked = 0;
    // uv installs as the fake pip does (the tools' port), into the same folders.
    const fakeUv: Installer = {
      name: 'uv',
      identity: 'uv 0.13.9',
      cacheDir: () => Promise.resolve(uvDir),
      install: (request) => tools.pipFake.install(request)
    };
    tools.uv = () => {
      uvAsked += 1;
      return Promise.resolve(fakeUv);
    };
    const deps = {
      logger: fx.logger,
      env: {},
      cwd: app.repo,
      now: () => TODAY,
      clock: tickingClock(),
      tools,
      runner: { cache: new CacheService(fx.logger) }
    };
    try {
      const before = { uv: finalized('lambda-layers-uv-').length, pip: finalized('lambda-layers-pip-').length };
      const withUv = await measure(app.settings, actionInputsFrom({}), deps, { mode: 'build', storeAsBase: false });
      expect(withUv.report?.installer).toBe('uv 0.13.9');
      expect(finalized('lambda-layers-uv-')).toHaveLength(before.uv + 1);
      expect(finalized('lambda-layers-pip-')).toHaveLength(before.pip);

      uvAsked = 0;
      const withPip = await measure({ ...app.settings, installer: 'pip' }, actionInputsFrom({}), deps, {
        mode: 'build',
        storeAsBase: false
      });
      expect(withPip.report?.installer).toBe('pip 99.0 (python 3.11)');
      expect(uvAsked).toBe(0);
      expect(finalized('lambda-layers-uv-')).toHaveLength(before.uv + 1);
      expect(finalized('lambda-layers-pip-')).toHaveLength(before.pip + 1);

      // Everything from the build cache: no installer runs, so neither cache is even looked up.
      fx.server.calls.length = 0;
      fx.server.lookups.length = 0;
      const cached = await measure({ ...app.settings, installer: 'pip' }, actionInputsFrom({}), deps, {
        mode: 'build',
        storeAsBase: false
      });
      expect(cached.report?.layers.every((l) => l.cacheHit)).toBe(true);
      expect(fx.server.calls.filter((c) => c === 'GetCacheEntryDownloadURL').length).toBeGreaterThan(0);
      expect(fx.server.lookups.filter((key) => key.startsWith('lambda-layers-pip-') || key.startsWith('lambda-layers-uv-'))).toEqual([]);
      // (The fake app's own fx.warnings, about stripping, are not the cache's.)
      expect(fx.warnings.filter((w) => w.includes('cache'))).toEqual([]);
    } finally {
      await app.remove();
    }
  });
});
