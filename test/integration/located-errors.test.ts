import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';

// Issue 11, item 7: a bad environment (another file system for TMPDIR, a read-only or full output folder) or a
// path of the wrong kind gets one line naming the path and the cause, never a stack trace (unless asked for).

const STACK = /\n\s+at .+:\d+:\d+/;

function mountTmpfs(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let app: SampleApp;
const mounts: string[] = [];
beforeEach(async () => {
  app = await makeSampleApp();
});
afterEach(async () => {
  for (const dir of mounts.splice(0)) execFileSync('umount', [dir]);
  await rm(app.base, { recursive: true, force: true });
});

/** A fresh tmpfs under the app's folder; undefined where this machine refuses to mount (not root). */
async function tmpfs(name: string, options: string): Promise<string | undefined> {
  const dir = path.join(app.base, name);
  await mkdir(dir);
  if (!mountTmpfs(dir, options)) {
    console.warn(`skipped: cannot mount a tmpfs here (needs root) for ${name}`);
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

test('TMPDIR on another file system than --out: verification copies instead of hard-linking (EXDEV)', async () => {
  const tmp = await tmpfs('other-fs', 'size=256m');
  if (!tmp) return;
  const result = await runCli(app, ['build'], { TMPDIR: tmp });
  expect(result.stderr).not.toMatch(/EXDEV/);
  expect(result.code).toBe(0);
  const report = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as {
    functions: Array<{ verification: { status: string } }>;
  };
  expect(report.functions.map((f) => f.verification.status)).toEqual(['passed', 'passed']);
});

test('a read-only --out is reported as read-only, with its path, exit 1, no stack', async () => {
  const out = await tmpfs('read-only', 'ro,size=1m');
  if (!out) return;
  const result = await runCli(app, ['build', '--out', out]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`error: ${out}/.lock: the file system is read-only (open failed with EROFS)`);
  expect(result.stderr).not.toMatch(STACK);
});

test('a full --out says no space is left, naming a path in it, exit 1, no stack', async () => {
  const out = await tmpfs('full', 'size=24k');
  if (!out) return;
  const result = await runCli(app, ['build', '--out', out]);
  expect(result.code).toBe(1);
  // Whichever write fills it, ours or pip's, the one error line says so and names a path in --out.
  const error = result.stderr.split('\n').find((l) => l.startsWith('error: ')) ?? '';
  expect(error).toMatch(/[Nn]o space left on (the )?device/);
  expect(error).toContain(out);
  expect(result.stderr).not.toMatch(STACK);
});

test('a requirements.txt that is a folder is bad input naming it, exit 2; LAMBDA_LAYERS_DEBUG=1 adds the stack', async () => {
  const requirements = path.join(app.repo, 'layers/ml/requirements.txt');
  await rm(requirements);
  await mkdir(requirements);
  const result = await runCli(app, ['build']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${requirements}: a folder where a file is expected`);
  expect(result.stderr).not.toMatch(STACK);
  const debug = await runCli(app, ['build'], { LAMBDA_LAYERS_DEBUG: '1' });
  expect(debug.code).toBe(2);
  expect(debug.stderr).toMatch(STACK);
});

test('a requirements.txt with a NUL byte is bad input naming the file and line, exit 2', async () => {
  const requirements = path.join(app.repo, 'layers/ml/requirements.txt');
  await writeFile(requirements, 'tiny-ml==0.4\ntiny\0helper\n');
  const result = await runCli(app, ['build']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${requirements}:2: holds a NUL byte`);
  expect(result.stderr).not.toMatch(STACK);
});
