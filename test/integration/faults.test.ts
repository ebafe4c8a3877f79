import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CLI, hermeticEnv, makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';

// Regression tests for issue 11: nothing outside --out is written or deleted, two builds never interleave in one
// output folder, and an interrupted rebuild never leaves a report over a zip it does not describe.

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** Every file of the repo outside the output folder, with a hash of its content. */
async function sources(repo: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const rel of (await readdir(repo, { recursive: true })).sort()) {
    if (rel.startsWith('.lambda-layers') || rel.startsWith('out')) continue;
    if ((await lstat(path.join(repo, rel))).isFile()) result[rel] = await sha256(path.join(repo, rel));
  }
  return result;
}

interface ReportZips {
  layers: Array<{ name: string; zipFile: string; sha256: string }>;
  functions: Array<{ name: string; zipFile: string; sha256: string }>;
}

/** The zips a report lists, by name, each with the hash the report claims. */
async function reportedZips(repo: string, out = '.lambda-layers'): Promise<Map<string, { file: string; sha256: string }>> {
  const report = JSON.parse(await readFile(path.join(repo, out, 'report.json'), 'utf8')) as ReportZips;
  return new Map(
    [...report.layers, ...report.functions].map((e) => [e.name, { file: path.resolve(repo, out, e.zipFile), sha256: e.sha256 }])
  );
}

function startCli(app: SampleApp, args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: app.repo, env: hermeticEnv(app, extraEnv), stdio: 'ignore' });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));

let app: SampleApp;
beforeEach(async () => {
  app = await makeSampleApp();
});
afterEach(async () => {
  await rm(app.base, { recursive: true, force: true });
});

describe('output folders that overlap sources are refused before anything is written', () => {
  test.each([
    ['the template folder', '.'],
    ['a CodeUri', 'functions/validate'],
    ['a folder holding a ContentUri', 'layers']
  ])('--out as %s', async (_what, out) => {
    const before = await sources(app.repo);
    const result = await runCli(app, ['build', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a build there would overwrite or delete sources');
    expect(await sources(app.repo)).toEqual(before);
  });

  test('--cache-dir as the template folder', async () => {
    const before = await sources(app.repo);
    const result = await runCli(app, ['build', '--cache-dir', '.']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is the template folder: a build there would overwrite or delete sources');
    expect(await sources(app.repo)).toEqual(before);
  });
});

describe('one build at a time in an output folder', () => {
  test('a folder locked by a live build is left alone, with the holder named', async () => {
    const first = await runCli(app, ['build']);
    expect(first.code).toBe(0);
    const zips = await reportedZips(app.repo);
    const holder = spawn('sleep', ['30']);
    try {
      const lock = path.join(app.repo, '.lambda-layers', '.lock');
      await writeFile(lock, JSON.stringify({ pid: holder.pid, host: os.hostname(), since: '2026-01-15T00:00:00.000Z' }));
      const second = await runCli(app, ['build']);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`is in use by another build (pid ${holder.pid} on ${os.hostname()}`);
      expect(second.stderr).toContain(lock);
      // The first build's outputs are untouched, and the lock stays with its holder.
      for (const { file, sha256: hash } of zips.values()) expect(await sha256(file)).toBe(hash);
      expect(existsSync(lock)).toBe(true);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test('a lock left by a killed build is taken over', async () => {
    const dead = spawn('true');
    await exited(dead);
    const out = path.join(app.repo, '.lambda-layers');
    await runCli(app, ['build']);
    await writeFile(path.join(out, '.lock'), JSON.stringify({ pid: dead.pid, host: os.hostname(), since: 'then' }));
    const result = await runCli(app, ['build']);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(out, '.lock'))).toBe(false);
  });

  test('two builds started together: one builds, the other is told the folder is in use', async () => {
    const results = await Promise.all([runCli(app, ['build']), runCli(app, ['build'])]);
    const codes = results.map((r) => r.code).sort();
    expect(codes).toEqual([0, 1]);
    expect(results.find((r) => r.code === 1)?.stderr).toContain('is in use by another build');
    for (const { file, sha256: hash } of (await reportedZips(app.repo)).values()) expect(await sha256(file)).toBe(hash);
  });
});

describe('an interrupted rebuild', () => {
  // Killed at several points of a rebuild (before, during and after installing and zipping): a report that is
  // left always describes the zips beside it, and the next build gives the clean build's bytes.
  test.each([300, 900, 1800, 3000])('killed -9 after %i ms', async (delay) => {
    expect((await runCli(app, ['build', '--cache-dir', path.join(app.base, 'cache-a')])).code).toBe(0);
    const clean = await reportedZips(app.repo);

    // A cold rebuild (another cache) so every phase runs again, then killed.
    const tmp = path.join(app.base, 'tmp');
    await mkdir(tmp);
    const child = startCli(app, ['build', '--cache-dir', path.join(app.base, 'cache-b'), '--no-slim'], { TMPDIR: tmp });
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    await exited(child);
    clearTimeout(timer);
    if (existsSync(path.join(app.repo, '.lambda-layers', 'report.json'))) {
      for (const { file, sha256: hash } of (await reportedZips(app.repo)).values()) expect(await sha256(file)).toBe(hash);
    }

    expect((await runCli(app, ['build', '--cache-dir', path.join(app.base, 'cache-a')], { TMPDIR: tmp })).code).toBe(0);
    const rerun = await reportedZips(app.repo);
    expect([...rerun.keys()].sort()).toEqual([...clean.keys()].sort());
    for (const [name, { file, sha256: hash }] of rerun) {
      expect(hash).toBe(clean.get(name)?.sha256);
      expect(await sha256(file)).toBe(hash);
    }
    // Nothing the killed writer left behind: no scratch folders, no temporary files, and the records match the zips.
    expect(await readdir(tmp)).toEqual([]);
    const out = path.join(app.repo, '.lambda-layers');
    for (const dir of [out, path.join(out, 'layers'), path.join(out, 'functions')]) {
      expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
    }
    expect((await runCli(app, ['check'])).code).toBe(0);
  });
});

test("a killed writer's temporary file beside a nested application's zip is removed by the next build", async () => {
  await writeFile(
    path.join(app.repo, 'template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Orders:',
      '    Type: AWS::Serverless::Application',
      '    Properties: {Location: orders/template.yaml}'
    ].join('\n')
  );
  await mkdir(path.join(app.repo, 'orders/src'), { recursive: true });
  await writeFile(path.join(app.repo, 'orders/src/app.py'), 'def handler(event, context):\n    return 1\n');
  await writeFile(
    path.join(app.repo, 'orders/template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12}'
    ].join('\n')
  );
  expect((await runCli(app, ['build'])).code).toBe(0);
  const dead = spawn('true');
  await exited(dead);
  const nested = path.join(app.repo, '.lambda-layers/functions/Orders');
  const leftover = path.join(nested, `.Fn.zip.tmp-${dead.pid}-0123abcd`);
  await writeFile(leftover, 'half a zip');
  expect((await runCli(app, ['build'])).code).toBe(0);
  expect(await readdir(nested)).toEqual(['Fn', 'Fn.build.json', 'Fn.zip']);
});

describe('a build stopped by a signal', () => {
  // A cancelled job sends SIGINT then SIGTERM: the build stops its children, removes what it made (scratch folders
  // in TMPDIR, .work, partial cache entries, temporary zips, the lock) and exits as a shell reports a signal.
  test.each([
    ['SIGTERM', 143, 1200],
    ['SIGINT', 130, 2500]
  ] as const)('%s during a cold build: exit %i, no temporary path left', async (signal, code, delay) => {
    const tmp = path.join(app.base, 'tmp');
    const cache = path.join(app.base, 'cache-signal');
    await mkdir(tmp);
    const child = spawn(process.execPath, [CLI, 'build', '--cache-dir', cache], {
      cwd: app.repo,
      env: hermeticEnv(app, { TMPDIR: tmp }),
      stdio: ['ignore', 'ignore', 'pipe']
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    const timer = setTimeout(() => child.kill(signal), delay);
    const exitCode = await status;
    clearTimeout(timer);

    expect(exitCode).toBe(code);
    expect(stderr).toMatch(new RegExp(`error: interrupted by ${signal}: stopped, \\d+ temporary paths? removed`));
    expect(await readdir(tmp)).toEqual([]);
    const out = path.join(app.repo, '.lambda-layers');
    const left = (await readdir(out, { recursive: true })).filter((name) => /(^|\/)\.(work|lock)$|\.tmp-/.test(name));
    expect(left).toEqual([]);
    if (existsSync(cache)) expect((await readdir(cache, { recursive: true })).filter((name) => name.includes('.partial-'))).toEqual([]);
    // And the next build is a clean one.
    expect((await runCli(app, ['build', '--cache-dir', cache])).code).toBe(0);
    expect((await runCli(app, ['check'])).code).toBe(0);
  });
});
