import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '../lambda/platform.js';
import { withScratchDir } from '../shared/scratch.js';
import type { Pip } from '../tools/tools.js';
import { pipErrors } from './pip-diagnosis.js';

export interface RuntimeInstall {
  pip: Pip;
  platform: Platform;
  /** A requirement line: `boto3`, `awslambdaric==4.2.2`. */
  requirement: string;
  /** The folder to install into, under the cache folder; kept across builds. */
  site: string;
  pipArgs: readonly string[];
  /** A scratch folder's parent. */
  workDir: string;
  /** For the error: "the runtime's boto3 for verification". */
  what: string;
}

/** Installs under way, by site: functions verified or invoked side by side wait for the same install. */
const installing = new Map<string, Promise<string>>();

/**
 * What the managed runtime brings (its boto3, its runtime interface client), installed once per runtime into the
 * cache folder with wheels for the runtime's platform; a complete install is renamed into place, so a folder that
 * exists is whole.
 */
export function installRuntimePackage(install: RuntimeInstall): Promise<string> {
  let pending = installing.get(install.site);
  if (!pending) {
    pending = installOnce(install).finally(() => installing.delete(install.site));
    installing.set(install.site, pending);
  }
  return pending;
}

async function installOnce(install: RuntimeInstall): Promise<string> {
  const { site } = install;
  if ((await stat(site).catch(() => undefined))?.isDirectory()) return site;
  return withScratchDir(install.workDir, 'runtime-', async (scratch) => {
    const requirements = path.join(scratch, 'requirements.txt');
    await writeFile(requirements, `${install.requirement}\n`);
    const partial = `${site}.partial`;
    await rm(partial, { recursive: true, force: true });
    const result = await install.pip.install({
      platform: install.platform,
      requirementsFile: requirements,
      targetDir: partial,
      findLinks: [],
      pipArgs: install.pipArgs
    });
    if (!result.ok) {
      await rm(partial, { recursive: true, force: true });
      throw new Error(
        `could not install ${install.what} (${install.platform.runtime}, ${install.platform.architecture}): ${pipErrors(result.output)}`
      );
    }
    await rm(site, { recursive: true, force: true });
    await rename(partial, site);
    return site;
  });
}
