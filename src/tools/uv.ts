import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '../lambda/platform.js';
import { inheritedEnv, runCommand } from './run-command.js';
import type { InstallRequest, Installer } from './tools.js';

// The glibc minors uv names as `<machine>-manylinux_2_<minor>` targets (`uv pip install --help`, --python-platform).
const UV_MANYLINUX_MINORS = [17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40];

/**
 * uv's --python-platform for a Lambda platform, or undefined when uv cannot name the runtime's glibc
 * exactly (Amazon Linux 2's 2.26): a lower target would refuse wheels that load there, and pip would not. Pure.
 */
export function uvPlatform(platform: Platform): string | undefined {
  const [major, minor] = platform.glibc;
  if (major !== 2 || !UV_MANYLINUX_MINORS.includes(minor)) return undefined;
  return `${platform.architecture === 'arm64' ? 'aarch64' : 'x86_64'}-manylinux_2_${minor}`;
}

/**
 * `uv pip install` arguments equivalent to our pip install: wheels only, for the target (uv expands the
 * manylinux tags below the given glibc itself), into a folder, without bytecode (uv compiles none unless asked).
 * Files are copied, never hard-linked from uv's cache: slimming edits the installed files in place. Pure.
 */
export function uvInstallArgs(request: InstallRequest, python: string): string[] {
  const target = uvPlatform(request.platform);
  if (!target) throw new Error(`uv cannot target ${request.platform.runtime} (glibc ${request.platform.glibc.join('.')})`);
  return [
    'pip',
    'install',
    '--target',
    request.targetDir,
    '--python',
    python,
    '--python-platform',
    target,
    '--python-version',
    request.platform.pythonVersion,
    '--only-binary',
    ':all:',
    '--link-mode',
    'copy',
    '--no-progress',
    ...(request.constraintsFile ? ['--constraints', request.constraintsFile] : []),
    ...request.findLinks.flatMap((dir) => ['--find-links', dir]),
    ...request.pipArgs,
    '--requirements',
    request.requirementsFile
  ];
}

/** "uv 0.13.9" from `uv --version` ("uv 0.13.9 (abc123 2025-01-01)"); undefined for anything else. Pure. */
export function uvVersion(output: string): string | undefined {
  return /^uv (\d+\.\d+\.\S+)/m.exec(output)?.[1];
}

/**
 * Removes what uv leaves in a target folder for itself, not from any wheel: the (empty) lock file it holds on the
 * folder, and the cache record in each dist-info. pip leaves neither, and neither belongs in a layer.
 */
async function removeUvFiles(targetDir: string): Promise<void> {
  const lock = path.join(targetDir, '.lock');
  if ((await stat(lock).catch(() => undefined))?.size === 0) await rm(lock);
  for (const entry of await readdir(targetDir)) {
    if (entry.endsWith('.dist-info')) await rm(path.join(targetDir, entry, 'uv_cache.json'), { force: true });
  }
}

/** The folder in `uv cache dir`'s output (its last line), resolved from our working directory (where uv runs); undefined for none. */
export function uvCacheDirOf(output: string): string | undefined {
  const dir = output.trim().split('\n').at(-1)?.trim();
  return dir ? path.resolve(dir) : undefined;
}

/**
 * uv's cache folder as uv reports it (`uv cache dir`: UV_CACHE_DIR, uv.toml's cache-dir, else the user's cache
 * folder), or undefined when its cache is off (UV_NO_CACHE, no-cache in uv.toml): uv then gives each run a fresh
 * temporary folder, so two answers differ.
 */
async function uvCacheDir(command: string[], env: Record<string, string>): Promise<string | undefined> {
  const [program = '', ...prefix] = command;
  const [first, second] = await Promise.all([0, 1].map(() => runCommand(program, [...prefix, 'cache', 'dir'], { env })));
  if (!first?.ok || !second?.ok) return undefined;
  const dir = uvCacheDirOf(first.stdout);
  return dir && dir === uvCacheDirOf(second.stdout) ? dir : undefined;
}

/**
 * uv, when this machine has it: `uv` on PATH, else `python -m uv` (uv installed with pip into the Python
 * that runs pip). Its environment is ours, less what would point it at another interpreter or environment.
 */
export async function findUv(python: string, env: NodeJS.ProcessEnv): Promise<Installer | undefined> {
  const uvEnv = inheritedEnv(env, ['UV_PYTHON', 'UV_SYSTEM_PYTHON', 'VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME']);
  for (const command of [['uv'], [python, '-m', 'uv']]) {
    const [program = '', ...prefix] = command;
    const result = await runCommand(program, [...prefix, '--version'], { env: uvEnv });
    const version = result.ok ? uvVersion(result.stdout) : undefined;
    if (!version) continue;
    return {
      name: 'uv',
      identity: `uv ${version}`,
      cacheDir: () => uvCacheDir([program, ...prefix], uvEnv),
      install: async (request) => {
        const run = await runCommand(program, [...prefix, ...uvInstallArgs(request, python)], { env: uvEnv });
        if (run.ok) await removeUvFiles(request.targetDir);
        return { ok: run.ok, output: run.stdout + run.stderr };
      }
    };
  }
  return undefined;
}
