import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';
import { BuildError } from './errors.js';
import type { TreeEntry } from './file-tree.js';

const deflateRaw = promisify(zlib.deflateRaw);

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
const READ_AHEAD = 64;
// Below this, a round trip through the thread pool costs more than deflating on the main thread.
const POOL_FROM = 16 * 1024;

export interface ZipResult {
  zippedBytes: number;
  sha256: string;
}

interface Packed {
  data: Buffer;
  crc: number;
  size: number;
  compression: number;
}

/** zlib deflate, as Info-ZIP does: stored when deflating would not make the file smaller. */
function packed(data: Buffer, deflated: Buffer | undefined): Packed {
  const crc = zlib.crc32(data);
  return deflated && deflated.length < data.length
    ? { data: deflated, crc, size: data.length, compression: DEFLATED }
    : { data, crc, size: data.length, compression: STORED };
}

async function pack(root: string, entry: TreeEntry, level: number, inPool: boolean): Promise<Packed> {
  if (entry.linkTarget !== undefined) return packed(Buffer.from(entry.linkTarget), undefined);
  const file = path.join(root, entry.path);
  if (!inPool) {
    const data = readFileSync(file);
    return packed(data, level && data.length ? zlib.deflateRawSync(data, { level }) : undefined);
  }
  const data = await readFile(file);
  return packed(data, level ? await deflateRaw(data, { level }) : undefined);
}

/**
 * Writes entries (already in byte order of path) into a zip whose bytes depend only on their
 * content: fixed timestamps, normalized permissions, symlinks stored as links. fflate writes the
 * container; node's zlib deflates, small files on the main thread while large ones deflate in the
 * thread pool, and reads run ahead of both.
 */
export async function writeZip(root: string, entries: readonly TreeEntry[], zipFile: string, level = 6): Promise<ZipResult> {
  if (entries.length > MAX_ENTRIES) throw new BuildError(`${root}: ${entries.length} files, more than a zip without zip64 holds (${MAX_ENTRIES})`);
  await mkdir(path.dirname(zipFile), { recursive: true });
  const out = createWriteStream(zipFile);
  try {
    return await writeEntries(root, entries, out, level);
  } catch (error) {
    // No half-written zip is left behind to be mistaken for a build.
    out.destroy();
    await rm(zipFile, { force: true });
    throw error;
  }
}

async function writeEntries(root: string, entries: readonly TreeEntry[], out: WriteStream, level: number): Promise<ZipResult> {
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined);
  const hash = createHash('sha256');
  let zippedBytes = 0;
  let zipError: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) zipError = error;
    else {
      hash.update(chunk);
      zippedBytes += chunk.length;
      out.write(chunk);
    }
  });

  // Deflating is most of the work: the main thread and the thread pool share it by bytes, so both
  // cores work; small files stay on the main thread, where a pool round trip would cost more.
  const pending = new Map<number, Promise<Packed>>();
  const bytes = { main: 0, pool: 0 };
  let nextRead = 0;
  const prefetch = (upTo: number) => {
    for (; nextRead < Math.min(upTo, entries.length); nextRead++) {
      const entry = entries[nextRead]!;
      const inPool = entry.size >= POOL_FROM && bytes.pool <= bytes.main;
      bytes[inPool ? 'pool' : 'main'] += entry.size;
      const next = pack(root, entry, level, inPool);
      next.catch(() => undefined);
      pending.set(nextRead, next);
    }
  };
  for (const [i, entry] of entries.entries()) {
    prefetch(i + READ_AHEAD);
    const { data, ...sizes } = await pending.get(i)!;
    pending.delete(i);
    const mode = entry.linkTarget !== undefined ? SYMLINK_MODE : entry.executable ? EXECUTABLE_MODE : FILE_MODE;
    const file: ZipInputFile = {
      filename: entry.path,
      ...sizes,
      mtime: FIXED_MTIME,
      os: UNIX,
      // The upper 16 bits of the external attributes hold the Unix mode (type and permissions).
      attrs: mode * 0x10000
    };
    zip.add(file);
    file.ondata!(null, new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.length), true);
    if (zipError) throw zipError;
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), failed]);
  }
  zip.end();
  if (zipError) throw zipError;
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { zippedBytes, sha256: hash.digest('hex') };
}
