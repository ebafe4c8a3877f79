/**
 * The same tiny-wheel app installed by pip and by uv (`--installer`): the installed trees match but for the
 * installers' own bookkeeping, the installer enters the report and the build keys, and a requirement uv
 * cannot satisfy still gets pip's located diagnosis. uv comes from PATH, `python3 -m uv`, or PyPI into a
 * throwaway virtualenv; only when none works are these tests skipped, with the reason printed.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeSampleApp, run, runCli, writeFiles, type SampleApp } from '../helpers/sample-app.js';
import type { Report } from '../../src/report/report.js';

/** A folder holding an executable `uv`, or why there is none. */
async function uvBin(scratch: string): Promise<{ dir: string } | { reason: string }> {
  const env = process.env;
  const onPath = await run('sh', ['-c', 'command -v uv'], { cwd: scratch, env });
  if (onPath.code === 0) return { dir: path.dirname(onPath.stdout.trim()) };
  const venv = path.join(scratch, 'uv-venv');
  const made = await run('python3', ['-m', 'venv', venv], { cwd: scratch, env });
  const installed =
    made.code === 0 ? await run(path.join(venv, 'bin/python'), ['-m', 'pip', 'install', '--quiet', 'uv'], { cwd: scratch, env }) : made;
  if (installed.code !== 0)
    return { reason: `uv is not on PATH and "pip install uv" failed: ${installed.stderr.trim().split('\n').pop()}` };
  return { dir: path.join(venv, 'bin') };
}

/** Every file under a folder (relative path -> sha256, or a link's target). */
async function tree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const rel of (await readdir(root, { recursive: true })).sort()) {
    const full = path.join(root, rel);
    const info = await lstat(full);
    if (info.isSymbolicLink()) files[rel] = `-> ${await readlink(full)}`;
    else if (info.isFile())
      files[rel] = createHash('sha256')
        .update(await readFile(full))
        .digest('hex');
  }
  return files;
}

// Who installed: INSTALLER holds "pip\n" or "uv", so RECORD's line for it differs too. REQUESTED is the same
// (both write it, empty) but is an installer's file all the same. uv's lock file and uv_cache.json, which pip
// has no counterpart for, are removed after its install (src/tools/uv.ts).
const BOOKKEEPING = /\.dist-info\/(INSTALLER|RECORD|REQUESTED)$/;
const withoutBookkeeping = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).filter(([f]) => !BOOKKEEPING.test(f)));

const scratch = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-uv-'));
const uv = await uvBin(scratch);
if ('reason' in uv) console.warn(`test/integration/installers.test.ts skipped: ${uv.reason}`);
const withUv = 'dir' in uv ? describe : describe.skip;

let app: SampleApp;
beforeAll(async () => {
  app = await makeSampleApp();
});
afterAll(async () => {
  await rm(app.base, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

const uvPath = (): Record<string, string> => ('dir' in uv ? { PATH: `${uv.dir}:${process.env['PATH'] ?? ''}` } : {});
const readReport = async (out: string) => JSON.parse(await readFile(path.join(app.repo, out, 'report.json'), 'utf8')) as Report;

withUv('pip and uv on the same tiny wheels', () => {
  test('naive builds (as each installer left the tree) match, but for INSTALLER, RECORD and REQUESTED', async () => {
    const byPip = await runCli(app, ['build', '--no-slim', '--installer', 'pip', '--out', 'out-pip']);
    expect(byPip.code).toBe(0);
    const byUv = await runCli(app, ['build', '--no-slim', '--installer', 'uv', '--out', 'out-uv'], uvPath());
    expect(byUv.stderr).toMatch(/using uv \d+\.\d+/);
    expect(byUv.code).toBe(0);
    for (const layer of ['CoreLayer', 'MlLayer']) {
      const pipTree = await tree(path.join(app.repo, 'out-pip/layers', layer));
      const uvTree = await tree(path.join(app.repo, 'out-uv/layers', layer));
      expect(Object.keys(pipTree).length).toBeGreaterThan(3);
      expect(withoutBookkeeping(uvTree)).toEqual(withoutBookkeeping(pipTree));
      // What does differ is the bookkeeping, and only that.
      const differing = Object.keys({ ...pipTree, ...uvTree }).filter((f) => pipTree[f] !== uvTree[f]);
      expect(differing.length).toBeGreaterThan(0);
      expect(differing.filter((f) => !BOOKKEEPING.test(f))).toEqual([]);
    }
    const installer = await readFile(path.join(app.repo, 'out-uv/layers/CoreLayer/python/tiny_core-1.0.dist-info/INSTALLER'), 'utf8');
    expect(installer.trim()).toBe('uv');
  });

  test('the report names the installer, and it enters every build key', async () => {
    const [pip, uvReport] = [await readReport('out-pip'), await readReport('out-uv')];
    expect(pip.installer).toMatch(/^pip \d+\.\d+.* \(python 3\.\d+\)$/);
    expect(uvReport.installer).toMatch(/^uv \d+\.\d+\.\d+$/);
    for (const layer of uvReport.layers) {
      expect(layer.buildKey).not.toBe(pip.layers.find((l) => l.name === layer.name)?.buildKey);
    }
  });

  test('slimmed with uv: every check runs and passes, as with pip', async () => {
    const byUv = await runCli(app, ['build', '--installer', 'uv', '--out', 'out-uv-slim'], uvPath());
    expect(byUv.code).toBe(0);
    expect((await runCli(app, ['build', '--installer', 'pip', '--out', 'out-pip-slim'])).code).toBe(0);
    const [uvReport, pipReport] = [await readReport('out-uv-slim'), await readReport('out-pip-slim')];
    expect(uvReport.verified).toBe(true);
    const checks = (report: Report) => ({
      slimming: report.layers.map((l) => [l.slimming.strip.files, l.slimming.bytecode.files, l.slimming.removed.map((r) => r.rule)]),
      verification: report.functions.map((f) => [f.verification.status, f.verification.modules])
    });
    expect(checks(uvReport)).toEqual(checks(pipReport));
  });

  test('a requirement uv cannot satisfy: pip diagnoses it, with the file and line', async () => {
    const broken = await makeSampleApp();
    try {
      await writeFiles(broken.repo, { 'layers/core/requirements.txt': 'tiny-core==1.0\ntiny-nosuch==1.0\n' });
      const result = await runCli(broken, ['build', '--installer', 'uv'], uvPath());
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${path.join(broken.repo, 'layers/core/requirements.txt')}:2: layer CoreLayer: requirement "tiny-nosuch==1.0": no release of tiny-nosuch==1.0 was found`
      );
    } finally {
      await rm(broken.base, { recursive: true, force: true });
    }
  });
});

test('installer uv without uv anywhere is an error naming the input', async () => {
  // An empty PATH but for node and python3's folders: no uv on it, and python3 has no uv module.
  const bare = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-nouv-'));
  try {
    const venv = path.join(bare, 'venv');
    expect((await run('python3', ['-m', 'venv', '--without-pip', venv], { cwd: bare, env: process.env })).code).toBe(0);
    const result = await runCli(app, ['build', '--installer', 'uv', '--python', path.join(venv, 'bin/python'), '--out', 'out-none'], {
      PATH: `${path.join(venv, 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('installer uv: uv was not found');
  } finally {
    await rm(bare, { recursive: true, force: true });
  }
});
