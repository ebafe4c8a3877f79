import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';
import type { Report } from '../../src/report/report.js';

/**
 * A warm build serves the finished layers from the cache through hard links: byte-identical zips, and an output
 * folder that can never make the cache serve bytes it did not check.
 */
let app: SampleApp;
let cacheDir: string;
let cold: Report;
/** The cold build's zips as its report recorded them when they were written. */
let coldZips: string[];

const build = (out: string) => runCli(app, ['build', '--cache-dir', cacheDir, '--out', out]);
const readReport = async (out: string) => JSON.parse(await readFile(path.join(app.repo, out, 'report.json'), 'utf8')) as Report;
/** Every zip of a build by name, with the sha256 of its bytes as they are on disk (not as the report says). */
async function zipHashes(out: string): Promise<string[]> {
  const report = await readReport(out);
  return Promise.all(
    [...report.layers, ...report.functions].map(
      async (a) =>
        `${a.name} ${createHash('sha256')
          .update(await readFile(path.join(app.repo, out, a.zipFile)))
          .digest('hex')}`
    )
  );
}
const coreEntry = () => path.join(cacheDir, cold.layers.find((l) => l.name === 'CoreLayer')!.buildKey);
const CACHE_WARNING = /cache entry|cache save failed/;

beforeAll(async () => {
  app = await makeSampleApp({ 'layers/core/requirements.txt': 'tiny-core==1.0\ntiny-native==3.1\ntiny-rich==1.0\n' });
  cacheDir = path.join(app.base, 'build-cache');
  const result = await build('.cold');
  expect(result.code).toBe(0);
  cold = await readReport('.cold');
  coldZips = [...cold.layers, ...cold.functions].map((a) => `${a.name} ${a.sha256}`);
  expect(await zipHashes('.cold')).toEqual(coldZips);
  expect(cold.layers.map((l) => l.cacheHit)).toEqual([false, false]);
});
afterAll(() => rm(app.base, { recursive: true, force: true }));

test('a warm build into a new folder: every layer from the cache, the zips byte-identical to the cold build, the time per phase shown', async () => {
  const result = await build('.warm');
  expect(result.code).toBe(0);
  expect(result.stderr).not.toMatch(CACHE_WARNING);
  const warm = await readReport('.warm');
  expect(warm.layers.map((l) => [l.cacheHit, Object.keys(l.timings ?? {})])).toEqual([
    [true, ['cacheRestore']],
    [true, ['cacheRestore']]
  ]);
  expect(await zipHashes('.warm')).toEqual(coldZips);
  expect(result.stdout).toContain('Time per phase');
  expect(result.stdout).toMatch(/\d+\.\d s in all/);
  // The layer's folder is the cache's bytes, not a copy.
  const file = 'tiny_rich/LICENSE.txt';
  const [inOut, inCache] = await Promise.all([
    stat(path.join(app.repo, '.warm/layers/CoreLayer/python', file)),
    stat(path.join(coreEntry(), 'tree', file))
  ]);
  expect(inOut.ino).toBe(inCache.ino);
});

test('a layer rebuilt into the same folder replaces its files whole: switching back is a quiet, byte-identical hit', async () => {
  const requirements = path.join(app.repo, 'layers/core/requirements.txt');
  const original = await readFile(requirements, 'utf8');
  await writeFile(requirements, original.replace('tiny-rich==1.0\n', ''));
  expect((await build('.warm')).code).toBe(0);
  expect((await readReport('.warm')).layers.find((l) => l.name === 'CoreLayer')?.cacheHit).toBe(false);
  await writeFile(requirements, original);
  const back = await build('.warm');
  expect(back.stderr).not.toMatch(CACHE_WARNING);
  expect((await readReport('.warm')).layers.map((l) => l.cacheHit)).toEqual([true, true]);
  expect(await zipHashes('.warm')).toEqual(coldZips);
});

test('an output file edited in place after a warm build (it shares the cache bytes) is caught, never shipped; the rebuild leaves a sound cache', async () => {
  // The same size and other bytes: only the file's changed stamp tells, then its hash.
  const edited = path.join(app.repo, '.warm/layers/CoreLayer/python/tiny_rich/LICENSE.txt');
  const bytes = await readFile(edited);
  await writeFile(edited, Buffer.from(bytes.map((b, i) => (i === 0 ? b ^ 0x20 : b))));
  expect(await readFile(edited)).not.toEqual(bytes);
  const rebuilt = await build('.warm');
  expect(rebuilt.code).toBe(0);
  expect(rebuilt.stderr).toContain(`warning: layer CoreLayer: cache entry ${coreEntry()} is damaged or unreadable (`);
  expect(rebuilt.stderr).toContain('tiny_rich/LICENSE.txt differs from its recorded sha256');
  expect(await zipHashes('.warm')).toEqual(coldZips);
  expect(await readFile(edited)).toEqual(bytes);

  // The entry was replaced: it verifies again, and other output folders built from it hold the right bytes.
  const again = await build('.again');
  expect(again.stderr).not.toMatch(CACHE_WARNING);
  expect((await readReport('.again')).layers.map((l) => l.cacheHit)).toEqual([true, true]);
  expect(await zipHashes('.again')).toEqual(coldZips);
});

test('a zip edited in place after a warm build is caught the same way (until then, every output folder sharing it shows the edit)', async () => {
  await appendFile(path.join(app.repo, '.again/layers/MlLayer.zip'), 'x');
  const shared = (await zipHashes('.warm')).find((z) => z.startsWith('MlLayer '));
  expect(shared).not.toBe(coldZips.find((z) => z.startsWith('MlLayer ')));
  const rebuilt = await build('.again');
  expect(rebuilt.code).toBe(0);
  expect(rebuilt.stderr).toContain('layer.zip differs from its recorded sha256');
  expect(await zipHashes('.again')).toEqual(coldZips);
  expect((await readdir(cacheDir)).filter((n) => n.includes('.partial-'))).toEqual([]);
});
