import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';

/** What a zip on disk holds, read from its central directory (no file is inflated). */
export interface ZipListing {
  zippedBytes: number;
  sha256: string;
  /** File entries (folder entries are not files Lambda counts). */
  fileCount: number;
  unzippedBytes: number;
}

/** Reads a zip's bytes and directory; throws when it is not a zip that opens. */
export async function readZip(file: string): Promise<ZipListing> {
  const bytes = await readFile(file);
  let fileCount = 0;
  let unzippedBytes = 0;
  unzipSync(bytes, {
    filter: (entry) => {
      if (!entry.name.endsWith('/')) {
        fileCount++;
        unzippedBytes += entry.originalSize;
      }
      return false;
    }
  });
  return { zippedBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), fileCount, unzippedBytes };
}
