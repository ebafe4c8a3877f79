import path from 'node:path';
import { installRuntimePackage } from '../install/runtime-packages.js';
import type { Platform } from '../lambda/platform.js';
import type { Pip } from '../tools/tools.js';

/**
 * The runtime interface client Lambda's managed Python runtimes are built on, from PyPI
 * (https://github.com/aws/aws-lambda-python-runtime-interface-client). Pinned: what runs a handler changes only
 * when we change it. It has a C extension: PyPI has manylinux2014 wheels for x86_64 and aarch64, CPython 3.9 to 3.14.
 */
export const AWSLAMBDARIC = '4.2.2';

/** awslambdaric (and its simplejson), installed once per runtime into the cache folder: LAMBDA_RUNTIME_DIR. */
export function runtimeClientDir(cacheDir: string, platform: Platform): string {
  return path.join(cacheDir, 'runtime-client', `awslambdaric-${AWSLAMBDARIC}-${platform.runtime}-${platform.architecture}`);
}

export async function installRuntimeClient(
  pip: Pip,
  platform: Platform,
  cacheDir: string,
  workDir: string,
  pipArgs: readonly string[]
): Promise<string> {
  try {
    return await installRuntimePackage({
      pip,
      platform,
      requirement: `awslambdaric==${AWSLAMBDARIC}`,
      site: runtimeClientDir(cacheDir, platform),
      pipArgs,
      workDir,
      what: `Lambda's runtime interface client awslambdaric ${AWSLAMBDARIC}`
    });
  } catch (error) {
    throw new Error(
      `${(error as Error).message} (invoking needs a wheel of awslambdaric ${AWSLAMBDARIC} for CPython ${platform.pythonVersion} on ${platform.architecture} from PyPI, or its copy in the cache folder)`
    );
  }
}
