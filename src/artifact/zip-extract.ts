import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * The Unix mode of each entry, from the central directory (fflate does not expose it): the upper 16 bits of the
 * external attributes. Zip64 directories are followed; a zip made elsewhere without modes gives 0 (a plain file).
 */
export function zipModes(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory: not a zip');
  let entries = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((entries === 0xffff || offset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const zip64 = Number(view.getBigUint64(eocd - 12, true));
    entries = Number(view.getBigUint64(zip64 + 32, true));
    offset = Number(view.getBigUint64(zip64 + 48, true));
  }
  const decoder = new TextDecoder();
  const modes = new Map<string, number>();
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) throw new Error('a damaged central directory');
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const name = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    modes.set(name, view.getUint32(offset + 38, true) >>> 16);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}

/** An entry name that stays inside the folder it is extracted to: relative, no `..`, no backslashes. */
export function isSafeEntryName(name: string): boolean {
  return name !== '' && !name.startsWith('/') && !name.includes('\\') && !name.split('/').some((segment) => segment === '..');
}

/**
 * Extracts a zip into `dest` as Lambda does: over what is already there (a later layer replaces an earlier layer's
 * file), with each file's permissions and symlinks as stored. An entry that would leave `dest` is refused.
 */
export async function extractZip(zipFile: string, dest: string): Promise<void> {
  const bytes = await readFile(zipFile);
  let modes: Map<string, number>;
  let files: Record<string, Uint8Array>;
  try {
    modes = zipModes(bytes);
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(`${zipFile}: ${(error as Error).message}`);
  }
  for (const [name, content] of Object.entries(files)) {
    if (!isSafeEntryName(name)) throw new Error(`${zipFile}: the entry ${JSON.stringify(name)} would be extracted outside its folder`);
    const target = path.join(dest, name);
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { force: true, recursive: true });
    const mode = modes.get(name) ?? 0;
    if ((mode & S_IFMT) === S_IFLNK) await symlink(new TextDecoder().decode(content), target);
    else await writeFile(target, content, { mode: mode & 0o777 || 0o644 });
  }
}
