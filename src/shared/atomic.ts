import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `file` whole or not at all: `write` fills a temporary name in the same folder, renamed over `file`
 * once it succeeds (a rename within a folder is atomic). A killed writer leaves the old file, never half a new one.
 */
export async function replaceAtomically<T>(file: string, write: (temporary: string) => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const result = await write(temporary);
    await rename(temporary, file);
    return result;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** A text file (a report, a record, a manifest) written atomically. */
export const writeFileAtomically = (file: string, text: string): Promise<void> =>
  replaceAtomically(file, (temporary) => writeFile(temporary, text));
