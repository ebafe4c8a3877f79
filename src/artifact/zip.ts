import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import zlib from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';
import { DeflateWorkers, type PackedFile } from './deflate-workers.js';
import { BuildError } from '../shared/errors.js';
import { replaceAtomically } from '../shared/atomic.js';
import type { TreeEntry } from './file-tree.js';

// DOS time is local time: built from local fields it encodes the same everywhere, so zips match across time zones.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const UNIX = 3;
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const SYMLINK_MODE = 0o120777;
const STORED = 0;
const DEFLATED = 8;
// Without zip64, a zip holds at most this many entries.
const MAX_ENTRIES = 0xffff;
// Files go to the workers in batches (a message per file would cost more than a small file's
// deflate), and batches run ahead of the writer, bounded in bytes.
const BATCH_FILES = 32;
const BATCH_BYTES = 512 * 1024;
const AHEAD_BYTES = 16 * 1024 * 1024;

export interface ZipResult {
  zippedBytes: number;
  sha256: string;
}

/**
 * Packs entries in batches on the workers, running ahead of the writer by up to AHEAD_BYTES;
 * returns a function that gives entry i once it is packed (links are stored as their target).
 */
function batchesAhead(root: string, entries: readonly TreeEntry[], workers: DeflateWorkers): (i: number) => Promise<PackedFile> {
  const packed = new Map<number, Promise<PackedFile>>();
  let next = 0;
  let ahead = 0;
  const dispatch = (upTo: number) => {
    while (next < entries.length && (next <= upTo || ahead < AHEAD_BYTES)) {
      const batch: number[] = [];
      let bytes = 0;
      for (; next < entries.length && batch.length < BATCH_FILES && bytes < BATCH_BYTES; next++) {
        const entry = entries[next]!;
        if (entry.linkTarget !== undefined) {
          const target = Buffer.from(entry.linkTarget);
          packed.set(next, Promise.resolve({ crc: zlib.crc32(target), size: target.length, deflated: false, data: target }));
        } else {
          batch.push(next);
          bytes += entry.size;
        }
      }
      if (!batch.length) continue;
      ahead += bytes;
      const results = workers.pack(
        batch.map((j) => path.join(root, entries[j]!.path)),
        bytes
      );
      batch.forEach((j, k) => {
        const result = results.then((r) => r[k]!);
        // Handled where it is awaited; the writer may stop before it gets there.
        result.catch(() => undefined);
        packed.set(j, result);
      });
    }
  };
  return async (i) => {
    dispatch(i);
    const result = await packed.get(i)!;
    packed.delete(i);
    ahead -= entries[i]!.linkTarget === undefined ? entries[i]!.size : 0;
    return result;
  };
}

/**
 * Writes entries (already in byte order of path) into a zip whose bytes depend only on their
 * content: fixed timestamps, normalized permissions, symlinks stored as links. fflate writes the
 * container; worker threads read and deflate with node's zlib, one per core, ahead of the writer.
 */
export async function writeZip(root: string, entries: readonly TreeEntry[], zipFile: string, level = 6): Promise<ZipResult> {
  if (entries.length > MAX_ENTRIES)
    throw new BuildError(`${root}: ${entries.length} files, more than a zip without zip64 holds (${MAX_ENTRIES})`);
  // No half-written zip is left behind to be mistaken for a build, even by a killed one.
  return replaceAtomically(zipFile, async (temporary) => {
    const out = createWriteStream(temporary);
    try {
      return await writeEntries(root, entries, out, level);
    } finally {
      out.destroy();
    }
  });
}

async function writeEntries(root: string, entries: readonly TreeEntry[], out: WriteStream, level: number): Promise<ZipResult> {
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined);
  const hash = createHash('sha256');
  let zippedBytes = 0;
  // Set from fflate's callback: typed so that TypeScript does not narrow it to its initial value.
  let zipError = undefined as Error | undefined;
  const zip = new Zip((error, chunk) => {
    if (error) zipError = error;
    else {
      hash.update(chunk);
      zippedBytes += chunk.length;
      out.write(chunk);
    }
  });

  const workers = new DeflateWorkers(level);
  try {
    const pending = batchesAhead(root, entries, workers);
    for (const [i, entry] of entries.entries()) {
      const { data, crc, size, deflated } = await pending(i);
      const mode = entry.linkTarget !== undefined ? SYMLINK_MODE : entry.executable ? EXECUTABLE_MODE : FILE_MODE;
      const file: ZipInputFile = {
        filename: entry.path,
        crc,
        size,
        compression: deflated ? DEFLATED : STORED,
        mtime: FIXED_MTIME,
        os: UNIX,
        // The upper 16 bits of the external attributes hold the Unix mode (type and permissions).
        attrs: mode * 0x10000
      };
      zip.add(file);
      file.ondata!(null, data as Uint8Array<ArrayBuffer>, true);
      if (zipError) throw zipError;
      if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), failed]);
    }
  } finally {
    await workers.close();
  }
  zip.end();
  if (zipError) throw zipError;
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { zippedBytes, sha256: hash.digest('hex') };
}
