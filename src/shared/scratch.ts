import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removedAfter } from './interrupt.js';

/** Runs `use` with a fresh folder under `parent` (created if missing), removed afterwards whatever happens (a signal too). */
export async function withScratchDir<T>(parent: string, prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, prefix));
  return removedAfter(dir, () => use(dir));
}

/**
 * Runs `use` with `env` for the programs we run, its TMPDIR a fresh folder of ours: what they make there (pip's
 * own temporary folders, which a signal that stops pip would leave) goes with it, at the end or on a signal.
 */
export async function withToolsTemp<T>(env: NodeJS.ProcessEnv, use: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  return withScratchDir(os.tmpdir(), 'lambda-layers-tools-', (dir) => use({ ...env, TMPDIR: dir }));
}
