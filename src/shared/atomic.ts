import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removedAfter } from './interrupt.js';

const TEMPORARY = '.tmp-';
const LEFTOVER = /^\..+\.tmp-(\d+)-[0-9a-f]{8}$/;

/** The pid of the writer a temporary name belongs to; undefined for any other name. */
export function temporaryWriter(name: string): number | undefined {
  const match = LEFTOVER.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Removes the temporary files that writers killed mid-write (`kill -9`: no `finally` ran) left in these folders. */
export async function removeLeftovers(dirs: readonly string[], alive: (pid: number) => boolean): Promise<void> {
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => []);
    for (const name of names) {
      const pid = temporaryWriter(name);
      if (pid !== undefined && !alive(pid)) await rm(path.join(dir, name), { force: true });
    }
  }
}

/**
 * Writes `file` whole or not at all: `write` fills a temporary name in the same folder, renamed over `file`
 * once it succeeds (a rename within a folder is atomic). A killed writer leaves the old file, never half a new one.
 */
export async function replaceAtomically<T>(file: string, write: (temporary: string) => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}${TEMPORARY}${process.pid}-${randomBytes(4).toString('hex')}`);
  return removedAfter(temporary, async () => {
    const result = await write(temporary);
    await rename(temporary, file);
    return result;
  });
}

/** A text file (a report, a record, a manifest) written atomically. */
export const writeFileAtomically = (file: string, text: string): Promise<void> =>
  replaceAtomically(file, (temporary) => writeFile(temporary, text));
