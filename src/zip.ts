import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yazl from 'yazl';
import type { TreeEntry } from './file-tree.js';

// DOS time is local time: built from local fields it encodes the same everywhere, so zips match across time zones.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const SYMLINK_MODE = 0o120777;
const READ_AHEAD = 64;

export interface ZipResult {
  zippedBytes: number;
  sha256: string;
}

/**
 * Writes entries (already in byte order of path) into a zip whose bytes depend only on their
 * content: fixed timestamps, normalized permissions, symlinks stored as links. Files are deflated
 * in zlib's thread pool while the next ones are read.
 */
export async function writeZip(root: string, entries: readonly TreeEntry[], zipFile: string, level = 6): Promise<ZipResult> {
  await mkdir(path.dirname(zipFile), { recursive: true });
  const zip = new yazl.ZipFile();
  const hash = createHash('sha256');
  let zippedBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      zippedBytes += chunk.length;
      done(null, chunk);
    }
  });
  const written = pipeline(zip.outputStream, tap, createWriteStream(zipFile));
  // Reads run ahead of the writer (file opens are thread-pool round trips): small files dominate many layers.
  const pending = new Map<number, Promise<Buffer>>();
  let nextRead = 0;
  const prefetch = (upTo: number) => {
    for (; nextRead < Math.min(upTo, entries.length); nextRead++) {
      const next = entries[nextRead];
      if (next && next.linkTarget === undefined) pending.set(nextRead, readFile(path.join(root, next.path)));
    }
  };
  for (const [i, entry] of entries.entries()) {
    prefetch(i + READ_AHEAD);
    const common = { mtime: FIXED_MTIME, forceDosTimestamp: true };
    if (entry.linkTarget !== undefined) {
      zip.addBuffer(Buffer.from(entry.linkTarget), entry.path, { ...common, mode: SYMLINK_MODE, compress: false });
      continue;
    }
    const data = await pending.get(i);
    pending.delete(i);
    if (!data) throw new Error(`zip: ${entry.path} was not read`);
    zip.addBuffer(data, entry.path, {
      ...common,
      mode: entry.executable ? EXECUTABLE_MODE : FILE_MODE,
      compressionLevel: data.length === 0 ? 0 : level
    });
  }
  zip.end();
  await written;
  return { zippedBytes, sha256: hash.digest('hex') };
}
