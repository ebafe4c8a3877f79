import { mkdir, readdir, readFile, rm, stat, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';
import type { Report } from '../../src/report/report.js';

/** Every corruption of a local cache entry is a miss with a warning naming the entry: rebuilt, never shipped. */
let app: SampleApp;
let cacheDir: string;
let first: Report;

const readReport = async (out = '.lambda-layers') => JSON.parse(await readFile(path.join(app.repo, out, 'report.json'), 'utf8')) as Report;
const build = (out = '.lambda-layers') => runCli(app, ['build', '--cache-dir', cacheDir, '--out', out]);
const CACHE_WARNING = /cache entry|cache save failed/;
const zips = (report: Report) => [...report.layers, ...report.functions].map((a) => `${a.name} ${a.sha256}`);
/** CoreLayer's entry: tiny-rich brings a LICENSE, a data file and bytecode into it. */
const coreEntry = () => path.join(cacheDir, first.layers.find((l) => l.name === 'CoreLayer')!.buildKey);

beforeAll(async () => {
  app = await makeSampleApp({ 'layers/core/requirements.txt': 'tiny-core==1.0\ntiny-native==3.1\ntiny-rich==1.0\n' });
  cacheDir = path.join(app.base, 'build-cache');
  const result = await build();
  expect(result.stderr).not.toMatch(CACHE_WARNING);
  expect(result.code).toBe(0);
  first = await readReport();
  expect(first.layers.map((l) => l.cacheHit)).toEqual([false, false]);
  expect(first.functions.map((f) => f.verification)).toEqual([
    expect.objectContaining({ status: 'passed' }),
    expect.objectContaining({ status: 'passed' })
  ]);
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
});

test('a warm build restores the finished layers and the verifications, byte-identical', async () => {
  const result = await build();
  expect(result.code).toBe(0);
  expect(result.stderr).not.toMatch(CACHE_WARNING);
  const warm = await readReport();
  expect(warm.layers.map((l) => l.cacheHit)).toEqual([true, true]);
  expect(warm.functions.map((f) => f.verification.cached)).toEqual([true, true]);
  expect(zips(warm)).toEqual(zips(first));
  // The report entry is the one measured when the layer was built (its timings are this build's: the restore).
  const measured = ({ cacheHit: _hit, timings: _timings, ...rest }: Report['layers'][number]) => rest;
  expect(warm.layers.map(measured)).toEqual(first.layers.map(measured));
});

const tree = (rel: string) => path.join(coreEntry(), 'tree', rel);

async function flipByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
  await writeFile(file, bytes);
}

const corruptions: Array<[string, () => Promise<void>, string]> = [
  [
    'an emptied entry',
    async () => {
      await rm(path.join(coreEntry(), 'tree'), { recursive: true });
      await mkdir(path.join(coreEntry(), 'tree'));
    },
    'is missing'
  ],
  ['a flipped byte in a cached .pyc', () => flipByte(tree('tiny_rich/core.pyc')), 'tiny_rich/core.pyc differs from its recorded sha256'],
  ['a deleted LICENSE', () => rm(tree('tiny_rich/LICENSE.txt')), 'tiny_rich/LICENSE.txt is missing'],
  ['an injected file', () => writeFile(tree('tiny_rich/injected.py'), 'import os\n'), 'tiny_rich/injected.py is not in the manifest'],
  ['a truncated data file', () => truncate(tree('tiny_rich/zoneinfo/UTC'), 2), 'tiny_rich/zoneinfo/UTC has 2 bytes, the manifest says 5'],
  ['a meta.json of {}', () => writeFile(path.join(coreEntry(), 'meta.json'), '{}'), 'meta.json differs from its recorded sha256'],
  ['a meta.json of null', () => writeFile(path.join(coreEntry(), 'meta.json'), 'null'), 'meta.json differs from its recorded sha256'],
  ['a symlink in the entry', () => symlink('/etc/passwd', tree('tiny_rich/passwd')), 'tiny_rich/passwd is not in the manifest'],
  [
    'a file replaced by a symlink',
    () => rm(tree('tiny_rich/core.pyc')).then(() => symlink('__init__.pyc', tree('tiny_rich/core.pyc'))),
    'tiny_rich/core.pyc is a link, the manifest says file'
  ],
  [
    'a flipped byte in the cached zip',
    () => flipByte(path.join(coreEntry(), 'files/layer.zip')),
    'layer.zip differs from its recorded sha256'
  ],
  ['a missing manifest', () => rm(path.join(coreEntry(), 'manifest.json')), 'manifest.json'],
  ['a manifest of null', () => writeFile(path.join(coreEntry(), 'manifest.json'), 'null'), 'manifest.json has no meta hash']
];

test.each(corruptions)('%s: rebuilt with a warning naming the entry, never shipped', async (_name, corrupt, reason) => {
  await corrupt();
  const result = await build();
  expect(result.stderr).toContain(`warning: layer CoreLayer: cache entry ${coreEntry()} is damaged or unreadable (`);
  expect(result.stderr).toContain(reason);
  expect(result.code).toBe(0);
  const report = await readReport();
  expect(report.layers.map((l) => l.cacheHit)).toEqual([false, true]);
  expect(zips(report)).toEqual(zips(first));
  // The rebuild replaced the entry: the next build is a quiet hit.
  const again = await build();
  expect(again.stderr).not.toMatch(CACHE_WARNING);
  expect((await readReport()).layers.map((l) => l.cacheHit)).toEqual([true, true]);
});

test('partial entries of killed builds are removed; one of a live build is left alone', async () => {
  const dead = path.join(cacheDir, `${first.layers[0]!.buildKey}.partial-999999999`);
  const live = path.join(cacheDir, `${first.layers[0]!.buildKey}.partial-${process.pid}`);
  const old = path.join(cacheDir, `${first.layers[1]!.buildKey}.partial-${process.pid}-old`);
  for (const dir of [dead, live, old]) await mkdir(path.join(dir, 'tree'), { recursive: true });
  const hourAgo = new Date(Date.now() - 3600_000);
  await utimes(old, hourAgo, hourAgo);
  expect((await build()).code).toBe(0);
  const left = await readdir(cacheDir);
  expect(left).toContain(path.basename(live));
  expect(left).not.toContain(path.basename(dead));
  expect(left).not.toContain(path.basename(old));
  await rm(live, { recursive: true });
});

test('concurrent builds on one empty cache all succeed with the same zips, and leave a sound cache', async () => {
  await rm(cacheDir, { recursive: true, force: true });
  const results = await Promise.all(['.c1', '.c2'].map((out) => build(out)));
  for (const result of results) {
    expect(result.stderr).not.toContain('is damaged');
    expect(result.code).toBe(0);
  }
  for (const out of ['.c1', '.c2']) expect(zips(await readReport(out))).toEqual(zips(first));
  expect((await readdir(cacheDir)).filter((n) => n.includes('.partial-'))).toEqual([]);
  const after = await build();
  expect(after.stderr).not.toMatch(CACHE_WARNING);
  const report = await readReport();
  expect(report.layers.map((l) => l.cacheHit)).toEqual([true, true]);
  expect(zips(report)).toEqual(zips(first));
  expect((await stat(path.join(app.repo, '.lambda-layers/layers/CoreLayer.zip'))).size).toBe(first.layers[0]!.zippedBytes);
}, 300_000);
