import os from 'node:os';
import path from 'node:path';
import { InputError } from '../shared/errors.js';
import type { Platform } from '../lambda/platform.js';
import { inheritedEnv, runCommand } from '../tools/run-command.js';
import { withScratchDir } from '../shared/scratch.js';

export interface PipResult {
  ok: boolean;
  output: string;
}

// The host's user site and pip's own install-location settings must not leak into a target install.
const CLEARED_ENV = ['PIP_TARGET', 'PIP_PREFIX', 'PIP_USER', 'PIP_ROOT', 'PIP_REQUIRE_VIRTUALENV', 'PYTHONPATH', 'PYTHONHOME'];

function pipEnv(): Record<string, string> {
  return {
    ...inheritedEnv(CLEARED_ENV),
    PYTHONNOUSERSITE: '1',
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_ROOT_USER_ACTION: 'ignore'
  };
}

async function runPip(python: string, args: string[]): Promise<PipResult> {
  const result = await runCommand(python, ['-m', 'pip', ...args], { env: pipEnv() });
  return { ok: result.ok, output: result.stdout + result.stderr };
}

/** "pip 23.2.1 (python 3.11)": which pip resolves, without the install path. */
export async function installerIdentity(python: string): Promise<string> {
  const result = await runPip(python, ['--version']);
  const match = /^pip (\S+) from .* \((python \S+)\)/m.exec(result.output);
  if (!result.ok || !match) throw new InputError(`"${python} -m pip" does not run: ${result.output.trim().split('\n')[0]}`);
  return `pip ${match[1]} (${match[2]})`;
}

/** Where pip keeps its downloads and the wheels it built; undefined when its cache is turned off. */
export async function pipCacheDir(python: string): Promise<string | undefined> {
  const result = await runPip(python, ['cache', 'dir']);
  const dir = result.output.trim().split('\n').at(-1)?.trim();
  return result.ok && dir && path.isAbsolute(dir) ? dir : undefined;
}

/** pip's options that pick wheels for the target platform rather than the host's. */
export function platformArgs(platform: Platform): string[] {
  return [
    '--implementation',
    'cp',
    '--python-version',
    platform.pythonVersion,
    '--abi',
    platform.abi,
    ...platform.platformTags.flatMap((tag) => ['--platform', tag])
  ];
}

export interface InstallRequest {
  python: string;
  platform: Platform;
  requirementsFile: string;
  constraintsFile?: string;
  targetDir: string;
  /** Folders of wheels built from allowed sdists. */
  findLinks: string[];
  pipArgs: string[];
}

/**
 * Installs wheels only, for the target platform, into a folder (pip --target ignores what the host
 * has installed). No bytecode: the host's Python may not be the runtime's.
 */
export function pipInstall(request: InstallRequest): Promise<PipResult> {
  return runPip(request.python, [
    'install',
    '--target',
    request.targetDir,
    '--only-binary=:all:',
    '--no-compile',
    '--no-warn-script-location',
    ...platformArgs(request.platform),
    ...(request.constraintsFile ? ['--constraint', request.constraintsFile] : []),
    ...request.findLinks.flatMap((dir) => ['--find-links', dir]),
    ...request.pipArgs,
    '--requirement',
    request.requirementsFile
  ]);
}

/** Builds a wheel from an sdist the user allowed: this runs the project's build code on this machine. */
export function pipWheel(python: string, requirement: string, wheelDir: string, pipArgs: string[]): Promise<PipResult> {
  return runPip(python, ['wheel', '--no-deps', '--wheel-dir', wheelDir, ...pipArgs, requirement]);
}

/** What pip's debug log says about one requirement's candidates, to explain why none was chosen. */
export async function explainNoMatch(python: string, platform: Platform, requirement: string, pipArgs: string[]): Promise<string> {
  return withScratchDir(os.tmpdir(), 'lambda-layers-explain-', async (dest) => {
    const result = await runPip(python, [
      'download',
      '-vv',
      '--no-deps',
      '--only-binary=:all:',
      '--dest',
      dest,
      ...platformArgs(platform),
      ...pipArgs,
      requirement
    ]);
    return result.output;
  });
}
