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
  for (const entry of entries) {
    const common = { mtime: FIXED_MTIME, forceDosTimestamp: true };
    if (entry.linkTarget !== undefined) {
      zip.addBuffer(Buffer.from(entry.linkTarget), entry.path, { ...common, mode: SYMLINK_MODE, compress: false });
    } else {
      const data = await readFile(path.join(root, entry.path));
      zip.addBuffer(data, entry.path, {
        ...common,
        mode: entry.executable ? EXECUTABLE_MODE : FILE_MODE,
        compressionLevel: data.length === 0 ? 0 : level
      });
    }
  }
  zip.end();
  await written;
  return { zippedBytes, sha256: hash.digest('hex') };
}
