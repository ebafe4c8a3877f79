import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../shared/errors.js';
import type { Platform } from '../lambda/platform.js';
import { inheritedEnv, runCommand } from './run-command.js';
import { systemPython } from './target-python.js';
import type { TargetPython } from './tools.js';

const PROBE = 'import platform, sys; print(sys.implementation.name, platform.python_version(), platform.machine())';
const MACHINE = { x86_64: 'x86_64', arm64: 'aarch64' } as const;

async function probe(exe: string, env: NodeJS.ProcessEnv): Promise<{ impl: string; version: string; machine: string } | undefined> {
  const result = await runCommand(exe, ['-c', PROBE], { env: inheritedEnv(env) });
  const [impl, version, machine] = result.stdout.trim().split(' ');
  return result.ok && impl && version && machine ? { impl, version, machine } : undefined;
}

async function globVersions(root: string, version: string, suffix: string): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  return names
    .filter((n) => n === version || n.startsWith(`${version}.`))
    .sort()
    .reverse()
    .map((n) => path.join(root, n, suffix));
}

/** Where interpreters usually are: PATH, pyenv, the Actions tool cache, the system. */
async function candidates(version: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const pyenv = env['PYENV_ROOT'] || path.join(os.homedir(), '.pyenv');
  const toolCache = env['RUNNER_TOOL_CACHE'] || '/opt/hostedtoolcache';
  return [
    `python${version}`,
    ...(await globVersions(path.join(pyenv, 'versions'), version, 'bin/python3')),
    ...(await globVersions(path.join(toolCache, 'Python'), version, 'x64/bin/python3')),
    ...(await globVersions(path.join(toolCache, 'Python'), version, 'arm64/bin/python3')),
    `/usr/bin/python${version}`,
    `/usr/local/bin/python${version}`
  ];
}

/**
 * Finds an interpreter for the platform's Python version and machine, the configured one first.
 * None found is not an error: the callers skip what needs one, with a warning.
 */
export async function findTargetPython(
  platform: Platform,
  configured: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv
): Promise<TargetPython | undefined> {
  const wanted = platform.pythonVersion;
  const fits = (p: Awaited<ReturnType<typeof probe>>) =>
    p?.impl === 'cpython' && p.version.split('.').slice(0, 2).join('.') === wanted && p.machine === MACHINE[platform.architecture];
  const explicit = configured[wanted];
  if (explicit) {
    const found = await probe(explicit, env);
    if (!fits(found)) throw new InputError(`pythons["${wanted}"]: ${explicit} is not a CPython ${wanted} for ${platform.architecture}`);
    return systemPython(explicit, found?.version ?? wanted, env);
  }
  for (const exe of await candidates(wanted, env)) {
    const found = await probe(exe, env);
    if (found && fits(found)) return systemPython(exe, found.version, env);
  }
  return undefined;
}
