import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';

const inflate = promisify(inflateRaw);

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const STORED = 0;
const DEFLATED = 8;

/** One entry of a zip's central directory: what extracting it needs. */
export interface ZipEntry {
  name: string;
  /** The Unix mode (upper 16 bits of the external attributes); 0 when the zip was made without modes. */
  mode: number;
  method: number;
  compressedSize: number;
  size: number;
  /** Where its local header starts. */
  headerOffset: number;
}

const MAX32 = 0xffffffff;
const INFLATE_BATCH = 64;

/** Sizes and offset a zip64 extra field (id 1) holds in place of those set to 0xffffffff, in its fixed order. */
function zip64Values(view: DataView, extra: number, end: number, wanted: readonly boolean[]): number[] {
  while (extra + 4 <= end) {
    const id = view.getUint16(extra, true);
    const length = view.getUint16(extra + 2, true);
    if (id === 1) {
      let at = extra + 4;
      return wanted.map((needed) => {
        if (!needed) return -1;
        const value = Number(view.getBigUint64(at, true));
        at += 8;
        return value;
      });
    }
    extra += 4 + length;
  }
  throw new Error('a zip64 entry without its zip64 sizes');
}

/** The entries of a zip, from its central directory (zip64 directories and entries followed). */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory: not a zip');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === MAX32) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const zip64 = Number(view.getBigUint64(eocd - 12, true));
    count = Number(view.getBigUint64(zip64 + 32, true));
    offset = Number(view.getBigUint64(zip64 + 48, true));
  }
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) throw new Error('a damaged central directory');
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let size = view.getUint32(offset + 24, true);
    let compressedSize = view.getUint32(offset + 20, true);
    let headerOffset = view.getUint32(offset + 42, true);
    const extra = offset + 46 + nameLength;
    if (size === MAX32 || compressedSize === MAX32 || headerOffset === MAX32) {
      const [s, c, h] = zip64Values(view, extra, extra + extraLength, [size === MAX32, compressedSize === MAX32, headerOffset === MAX32]);
      if (s! >= 0) size = s!;
      if (c! >= 0) compressedSize = c!;
      if (h! >= 0) headerOffset = h!;
    }
    entries.push({
      name: decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      mode: view.getUint32(offset + 38, true) >>> 16,
      method: view.getUint16(offset + 10, true),
      compressedSize,
      size,
      headerOffset
    });
    offset = extra + extraLength + commentLength;
  }
  return entries;
}

/**
 * An entry's bytes, inflated by zlib: native (several times faster than inflating in JavaScript) and on libuv's
 * thread pool, so the build's other tasks go on meanwhile.
 */
async function entryContent(bytes: Uint8Array, entry: ZipEntry): Promise<Buffer> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.headerOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) throw new Error(`${entry.name}: a damaged local header`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new Error(`${entry.name}: the zip ends inside this entry`);
  let content: Buffer;
  if (entry.method === STORED) content = Buffer.from(data);
  else if (entry.method === DEFLATED) content = await inflate(data);
  else throw new Error(`${entry.name}: compression method ${entry.method} is not one Lambda reads (stored or deflated)`);
  if (content.length !== entry.size) throw new Error(`${entry.name}: ${content.length} bytes inflated, ${entry.size} expected`);
  return content;
}

/** An entry name that stays inside the folder it is extracted to: relative, no `..`, no backslashes. */
export function isSafeEntryName(name: string): boolean {
  return name !== '' && !name.startsWith('/') && !name.includes('\\') && !name.split('/').some((segment) => segment === '..');
}

/** Whatever an earlier zip left at `target` goes first: writing through an earlier symlink would land elsewhere. */
function replaceable(target: string): void {
  try {
    unlinkSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'EPERM') rmSync(target, { recursive: true, force: true });
    else if (code !== 'ENOENT') throw error;
  }
}

/**
 * Extracts a zip into `dest` as Lambda does: over what is already there (a later layer replaces an earlier layer's
 * file), with each file's permissions and symlinks as stored. An entry that would leave `dest` is refused before
 * anything is written.
 */
export async function extractZip(zipFile: string, dest: string): Promise<void> {
  const bytes = await readFile(zipFile);
  const located = (error: unknown) => new Error(`${zipFile}: ${(error as Error).message}`);
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (error) {
    throw located(error);
  }
  const unsafe = entries.find((e) => !isSafeEntryName(e.name));
  if (unsafe) throw new Error(`${zipFile}: the entry ${JSON.stringify(unsafe.name)} would be extracted outside its folder`);
  const made = new Set<string>();
  const folder = (dir: string) => {
    if (made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
  const write = (entry: ZipEntry, content: Buffer | undefined) => {
    const target = path.join(dest, entry.name);
    if (content === undefined) {
      folder(target);
      return;
    }
    folder(path.dirname(target));
    replaceable(target);
    if ((entry.mode & S_IFMT) === S_IFLNK) symlinkSync(content.toString('utf8'), target);
    else writeFileSync(target, content, { mode: entry.mode & 0o777 || 0o644 });
  };
  // Entries are inflated a batch at a time on the thread pool's threads, and written in the zip's order.
  for (let at = 0; at < entries.length; at += INFLATE_BATCH) {
    const batch = entries.slice(at, at + INFLATE_BATCH);
    let contents: Array<Buffer | undefined>;
    try {
      contents = await Promise.all(
        batch.map((entry) => (entry.name.endsWith('/') ? Promise.resolve(undefined) : entryContent(bytes, entry)))
      );
    } catch (error) {
      throw located(error);
    }
    for (const [i, entry] of batch.entries()) write(entry, contents[i]);
  }
}
