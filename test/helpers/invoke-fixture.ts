/**
 * Real pieces for invocation tests: Lambda's runtime interface client (awslambdaric, from PyPI) and the runtime's
 * boto3 installed once per machine into a shared folder (pip needs PyPI, as in CI), the target CPython from pyenv
 * or the tool cache, and zips of tiny handlers written with the project's own zip writer.
 */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listTree } from '../../src/artifact/file-tree.js';
import { writeZip } from '../../src/artifact/zip.js';
import { platformFor } from '../../src/lambda/platform.js';
import { installRuntimeClient, runtimeClientDir } from '../../src/invoke/runtime-client.js';
import { installRuntimePackage } from '../../src/install/runtime-packages.js';
import { runtimeBoto3Site } from '../../src/verify/verify-function.js';
import { systemTools } from '../../src/tools/system-tools.js';
import type { TargetPython } from '../../src/tools/tools.js';

export const RUNTIME = 'python3.12';
export const PLATFORM = platformFor(RUNTIME, 'x86_64');

/** Kept across runs like the tool's own cache: a second run installs nothing. */
export const SHARED_CACHE = path.join(os.tmpdir(), 'lambda-layers-test-runtime-cache');

let installed: Promise<{ runtimeDir: string; boto3: string }> | undefined;

/** awslambdaric and boto3 for python3.12 x86_64, in SHARED_CACHE laid out as the tool's cache folder is. */
export function runtimeFiles(): Promise<{ runtimeDir: string; boto3: string }> {
  installed ??= (async () => {
    const pip = systemTools(process.env).pip('python3');
    const work = path.join(SHARED_CACHE, '.work');
    const runtimeDir = await installRuntimeClient(pip, PLATFORM, SHARED_CACHE, work, []);
    const boto3 = await installRuntimePackage({
      pip,
      platform: PLATFORM,
      requirement: 'boto3',
      site: runtimeBoto3Site(SHARED_CACHE, PLATFORM),
      pipArgs: [],
      workDir: work,
      what: "the runtime's boto3"
    });
    return { runtimeDir, boto3 };
  })();
  return installed;
}

/** Copies the shared runtime files into a cache folder a build or invoke will use. */
export async function seedCache(cacheDir: string): Promise<void> {
  await runtimeFiles();
  for (const dir of [runtimeClientDir(SHARED_CACHE, PLATFORM), runtimeBoto3Site(SHARED_CACHE, PLATFORM)]) {
    await cp(dir, path.join(cacheDir, path.relative(SHARED_CACHE, dir)), { recursive: true, verbatimSymlinks: true });
  }
}

export async function targetPython(): Promise<TargetPython | undefined> {
  return systemTools(process.env).findPython(PLATFORM, {});
}

/** A zip of the given files (path -> content), written as the build writes zips. */
export async function zipOf(files: Record<string, string>, parent?: string): Promise<string> {
  const dir = await mkdtemp(path.join(parent ?? os.tmpdir(), 'lambda-layers-zip-'));
  const root = path.join(dir, 'root');
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  const zip = path.join(dir, 'out.zip');
  await writeZip(root, await listTree(root), zip);
  return zip;
}
