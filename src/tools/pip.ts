import os from 'node:os';
import path from 'node:path';
import { InputError } from '../shared/errors.js';
import type { Platform } from '../lambda/platform.js';
import { inheritedEnv, runCommand } from './run-command.js';
import { withScratchDir } from '../shared/scratch.js';
import type { Pip, PipResult } from './tools.js';

// The host's user site and pip's own install-location settings must not leak into a target install.
const CLEARED_ENV = ['PIP_TARGET', 'PIP_PREFIX', 'PIP_USER', 'PIP_ROOT', 'PIP_REQUIRE_VIRTUALENV', 'PYTHONPATH', 'PYTHONHOME'];

function pipEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    ...inheritedEnv(env, CLEARED_ENV),
    PYTHONNOUSERSITE: '1',
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_ROOT_USER_ACTION: 'ignore'
  };
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

// pip's vendored `packaging`, given the target's variables in place of the host's.
const MARKERS_SCRIPT = `
import json, sys
from pip._vendor.packaging.markers import Marker
spec = json.loads(sys.argv[1])
out = []
for text in spec["markers"]:
    try:
        marker = Marker(text)
        out.append([marker.evaluate(env) for env in spec["environments"]])
    except Exception as error:
        out.append(str(error).strip().splitlines()[0])
print(json.dumps(out))`;

// pip settings that change where releases come from or which are allowed: uv reads none of pip's configuration.
const SOURCE_KEYS = ['index-url', 'extra-index-url', 'find-links', 'no-index', 'constraint'];

/** `pip config list` output ("global.index-url='...'", ":env:.find-links='...'") to the source settings it holds. Pure. */
export function sourceSettings(configList: string): string[] {
  return configList.split('\n').flatMap((line) => {
    const match = /^(\S*?)\.([\w-]+)=(.*)$/.exec(line.trim());
    // An empty value (PIP_FIND_LINKS=) sets nothing.
    if (!match || !SOURCE_KEYS.includes(match[2] ?? '') || /^(''|"")?$/.test(match[3] ?? '')) return [];
    return [match[1] === ':env:' ? `PIP_${(match[2] ?? '').toUpperCase().replaceAll('-', '_')}` : `${match[2]} (pip.conf [${match[1]}])`];
  });
}

/** The real pip, run as `python -m pip` in the given environment. */
export function systemPip(python: string, env: NodeJS.ProcessEnv): Pip {
  const runPip = async (args: string[]): Promise<PipResult> => {
    const result = await runCommand(python, ['-m', 'pip', ...args], { env: pipEnv(env) });
    return { ok: result.ok, output: result.stdout + result.stderr };
  };
  return {
    identity: async () => {
      const result = await runPip(['--version']);
      const match = /^pip (\S+) from .* \((python \S+)\)/m.exec(result.output);
      if (!result.ok || !match) throw new InputError(`"${python} -m pip" does not run: ${result.output.trim().split('\n')[0]}`);
      return `pip ${match[1]} (${match[2]})`;
    },
    cacheDir: async () => {
      const result = await runPip(['cache', 'dir']);
      const dir = result.output.trim().split('\n').at(-1)?.trim();
      return result.ok && dir && path.isAbsolute(dir) ? dir : undefined;
    },
    configuredSources: async () => {
      const result = await runPip(['config', 'list']);
      return result.ok ? [...new Set(sourceSettings(result.output))] : [];
    },
    // pip --target ignores what the host has installed; no bytecode, since the host's Python may not be the runtime's.
    install: (request) =>
      runPip([
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
      ]),
    wheel: (requirement, wheelDir, pipArgs) => runPip(['wheel', '--no-deps', '--wheel-dir', wheelDir, ...pipArgs, requirement]),
    explainNoMatch: (platform, requirement, pipArgs) =>
      withScratchDir(os.tmpdir(), 'lambda-layers-explain-', async (dest) => {
        const result = await runPip([
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
      }),
    evaluateMarkers: async (markers, environments) => {
      const result = await runCommand(python, ['-c', MARKERS_SCRIPT, JSON.stringify({ markers, environments })], { env: pipEnv(env) });
      if (!result.ok) throw new Error(`evaluating environment markers with ${python} failed: ${result.stderr.trim()}`);
      return JSON.parse(result.stdout) as Array<boolean[] | string>;
    }
  };
}
