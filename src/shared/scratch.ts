import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removedAfter } from './interrupt.js';
import { alive } from './pids.js';

/** A scratch folder's name carries its maker's pid, so what a killed process left can be told apart from a live one's. */
const SCRATCH_NAME = /^lambda-layers-[a-z]+-(\d+)-[A-Za-z0-9]{6}$/;

/** Runs `use` with a fresh folder under `parent` (created if missing), removed afterwards whatever happens (a signal too). */
export async function withScratchDir<T>(parent: string, prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, `${prefix}${process.pid}-`));
  return removedAfter(dir, () => use(dir));
}

/** Removes the scratch folders under `parent` whose maker is gone (`kill -9`: nothing of its own ran). */
export async function removeStaleScratch(parent: string, isAlive: (pid: number) => boolean = alive): Promise<string[]> {
  const stale = (await readdir(parent).catch(() => [])).filter((name) => {
    const pid = SCRATCH_NAME.exec(name)?.[1];
    return pid !== undefined && !isAlive(Number(pid));
  });
  for (const name of stale) await rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  return stale;
}

/**
 * Runs `use` with `env` for the programs we run, its TMPDIR a fresh folder of ours: what they make there (pip's
 * own temporary folders, which a signal that stops pip would leave) goes with it, at the end or on a signal.
 * What killed runs left in the temporary folder goes first.
 */
export async function withToolsTemp<T>(env: NodeJS.ProcessEnv, use: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  await removeStaleScratch(os.tmpdir());
  return withScratchDir(os.tmpdir(), 'lambda-layers-tools-', (dir) => use({ ...env, TMPDIR: dir }));
}
