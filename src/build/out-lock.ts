import { mkdir, open, readFile, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BuildError } from '../shared/errors.js';
import { isObject } from '../shared/json.js';
import { removedOnSignal } from '../shared/interrupt.js';
import { alive } from '../shared/pids.js';

export const LOCK_FILE = '.lock';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (isObject(value) && Number.isSafeInteger(value['pid']) && typeof value['host'] === 'string')
      return { pid: value['pid'] as number, host: value['host'], since: String(value['since']) };
  } catch {
    // Unreadable: taken as a lock whose holder is gone (a kill between create and write).
  }
  return undefined;
}

/**
 * Runs `use` holding the output folder's lock, so two builds into one folder never interleave: a second one
 * fails at once naming the holder. A lock whose process is gone (a killed build on this host) is taken over.
 */
export async function withOutputLock<T>(outDir: string, use: () => Promise<T>): Promise<T> {
  // A build that fails before writing anything (bad input found late) leaves no empty folder it made.
  const made = await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = await readHolder(file);
      if (holder && (holder.host !== me.host || alive(holder.pid))) {
        throw new BuildError(
          `output folder ${outDir} is in use by another build (pid ${holder.pid} on ${holder.host}, since ${holder.since}): ` +
            `wait for it to end, or remove ${file} if that build is gone`
        );
      }
      await rm(file, { force: true });
    }
  }
  const release = removedOnSignal(file);
  try {
    return await use();
  } finally {
    await rm(file, { force: true });
    release();
    if (made !== undefined) await removeEmptyUpTo(outDir, made);
  }
}

/** Removes `dir` and its parents up to `top` while they are empty (the folders this run made and left unused). */
async function removeEmptyUpTo(dir: string, top: string): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === path.resolve(top)) return;
  }
}
