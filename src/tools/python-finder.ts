import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../shared/errors.js';
import type { Platform } from '../lambda/platform.js';
import { inheritedEnv, runCommand } from './run-command.js';
import { systemPython, type PythonIdentity } from './target-python.js';
import type { TargetPython } from './tools.js';

const PROBE =
  'import importlib.util, platform, sys; ' +
  'print(sys.implementation.name, platform.python_version(), platform.machine(), importlib.util.MAGIC_NUMBER.hex()); ' +
  'print(sys.executable)';
const MACHINE = { x86_64: 'x86_64', arm64: 'aarch64' } as const;

/**
 * What the interpreter says it is, and where it is: a name found on PATH (`python3.12`, as actions/setup-python
 * leaves it) becomes its absolute path, which still works where PATH is another (a function's sandbox).
 */
async function probe(exe: string, env: NodeJS.ProcessEnv): Promise<{ path: string; identity: PythonIdentity } | undefined> {
  const result = await runCommand(exe, ['-c', PROBE], { env: inheritedEnv(env) });
  const [first = '', executable = ''] = result.stdout.trim().split('\n');
  const [impl, version, machine, magic] = first.split(' ');
  if (!(result.ok && impl === 'cpython' && version && machine && magic)) return undefined;
  return { path: path.isAbsolute(executable) ? executable : exe, identity: { version, machine, magic } };
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
 * Finds an interpreter for the platform's Python version: one that runs the platform's CPU (natively or
 * under qemu-user), the configured one first; else the first of the version on another CPU, which writes
 * the same bytecode but cannot load the platform's extension modules. None found is not an error: the
 * callers skip what needs one, with a warning.
 */
export async function findTargetPython(
  platform: Platform,
  configured: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv
): Promise<TargetPython | undefined> {
  const wanted = platform.pythonVersion;
  const target = MACHINE[platform.architecture];
  type Found = NonNullable<Awaited<ReturnType<typeof probe>>>;
  const ofVersion = (p: Found | undefined): p is Found => p?.identity.version.split('.').slice(0, 2).join('.') === wanted;
  const make = (p: Found) => systemPython(p.path, p.identity, p.identity.machine === target, env);
  let otherCpu: TargetPython | undefined;
  const explicit = configured[wanted];
  if (explicit) {
    const found = await probe(explicit, env);
    if (!ofVersion(found)) throw new InputError(`pythons["${wanted}"]: ${explicit} is not a CPython ${wanted}`);
    if (found.identity.machine === target) return make(found);
    otherCpu = make(found);
  }
  for (const exe of await candidates(wanted, env)) {
    const found = await probe(exe, env);
    if (!ofVersion(found)) continue;
    if (found.identity.machine === target) return make(found);
    otherCpu ??= make(found);
  }
  return otherCpu;
}
