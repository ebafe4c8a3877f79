import type { Platform } from '../lambda/platform.js';
import type { FunctionSpec } from '../template/app-model.js';
import type { TargetPython, Tools } from '../tools/tools.js';
import { installRuntimePackage } from '../install/runtime-packages.js';
import { runtimeBoto3Site } from '../verify/verify-function.js';
import type { FunctionUnderTest } from './invoke-function.js';
import { installRuntimeClient } from './runtime-client.js';
import { probeIsolation, type Isolation } from './sandbox.js';

/** Lambda's defaults when the template sets no MemorySize or Timeout (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_TIMEOUT_SECONDS = 3;

/** What every invocation of one runtime needs: its CPython, awslambdaric and boto3 as the runtime has them, the isolation. */
export interface RuntimeSetup {
  python: string;
  runtimeDir: string;
  runtimePackages: string[];
  isolation: Isolation;
}

export interface SetupDeps {
  tools: Pick<Tools, 'pip'>;
  /** The Python that runs pip. */
  pipPython: string;
  cacheDir: string;
  pipArgs: readonly string[];
  /** A scratch folder's parent. */
  workDir: string;
}

/**
 * The runtime for a platform, with the CPython the build found for it (tools.findPython), or why there is none here
 * (no CPython of that version, or one that cannot load the platform's extension modules: as verification says it).
 */
export async function setUpRuntime(
  platform: Platform,
  python: TargetPython | undefined,
  deps: SetupDeps
): Promise<RuntimeSetup | { missing: string }> {
  if (!python?.runsTarget) {
    return {
      missing:
        `no CPython ${platform.pythonVersion} for ${platform.architecture} on this machine` +
        (python ? ` (${python.path} runs on ${python.machine})` : ' (install it, or name it under pythons in the config file)')
    };
  }
  const pip = deps.tools.pip(deps.pipPython);
  const runtimeDir = await installRuntimeClient(pip, platform, deps.cacheDir, deps.workDir, deps.pipArgs);
  const boto3 = await installRuntimePackage({
    pip,
    platform,
    requirement: 'boto3',
    site: runtimeBoto3Site(deps.cacheDir, platform),
    pipArgs: deps.pipArgs,
    workDir: deps.workDir,
    what: "the runtime's boto3"
  });
  return { python: python.path, runtimeDir, runtimePackages: [boto3], isolation: await probeIsolation(deps.workDir) };
}

/** The function as the template configures it, with Lambda's defaults. */
export function functionUnderTest(spec: FunctionSpec, platform: Platform): FunctionUnderTest {
  return {
    name: spec.name,
    handler: spec.handler,
    runtime: platform.runtime,
    pythonVersion: platform.pythonVersion,
    memorySizeMB: spec.memorySize ?? DEFAULT_MEMORY_MB,
    timeoutSeconds: spec.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    variables: spec.environment?.variables ?? {}
  };
}
