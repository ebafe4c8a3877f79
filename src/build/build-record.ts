import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../shared/atomic.js';
import { InputError } from '../shared/errors.js';
import { isObject } from '../shared/json.js';
import { isSlimLog, type SlimLog } from '../slim/slim-log.js';
import { measureArtifact, type ArtifactFolder, type ArtifactSizes, type Measured } from '../artifact/measure.js';

/** What a zip held when the build wrote it: `check` compares the zip that ships against this. */
export interface ZipRecord {
  sha256: string;
  zippedBytes: number;
  fileCount: number;
  unzippedBytes: number;
}

/** Written beside each built layer and function, so `check` knows what was built and what slimming did. */
export interface BuildRecord {
  /** A layer's build key, to tell a stale build. */
  key?: string;
  slimLog?: SlimLog;
  zip: ZipRecord;
}

export const zipRecordOf = (sizes: ArtifactSizes): ZipRecord => ({
  sha256: sizes.sha256,
  zippedBytes: sizes.zippedBytes,
  fileCount: sizes.fileCount,
  unzippedBytes: sizes.unzippedBytes
});

export async function writeBuildRecord(file: string, record: BuildRecord): Promise<void> {
  await writeFileAtomically(file, JSON.stringify(record));
}

const count = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

function shapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value['key'] !== undefined && typeof value['key'] !== 'string') return '"key" is not a string';
  if (value['slimLog'] !== undefined && !isSlimLog(value['slimLog'])) return '"slimLog" has the wrong shape';
  const zip = value['zip'];
  if (!isObject(zip)) return '"zip" is missing';
  if (typeof zip['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(zip['sha256'])) return '"zip.sha256" is not a SHA-256';
  for (const field of ['zippedBytes', 'fileCount', 'unzippedBytes'] as const) {
    if (!count(zip[field])) return `"zip.${field}" is not a non-negative integer`;
  }
  return undefined;
}

/** Reads the record of `what` (e.g. "layer CoreLayer"); a missing or damaged one is a located error. */
export async function readBuildRecord(file: string, what: string, outDir: string): Promise<BuildRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`no build of ${what} in ${outDir}: run lambda-layers build first`);
    }
    throw new InputError(`the build record of ${what} cannot be read: ${(error as Error).message}`, { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const problem = value === undefined ? 'not valid JSON' : shapeProblem(value);
  if (problem) throw new InputError(`the build record of ${what} is damaged (${problem}): rebuild it with lambda-layers build`, { file });
  return value as BuildRecord;
}

/**
 * `check`'s measurement: the zip that ships, read (it must open) and compared with the build's record, and the
 * folder the report's package sizes come from compared with the zip. Any difference is a located error.
 */
export async function measureShipped(artifact: ArtifactFolder, outDir: string, record: BuildRecord, what: string): Promise<Measured> {
  let measured: Measured;
  try {
    measured = await measureArtifact(artifact, outDir, false);
  } catch (error) {
    const { code, path: missing } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') throw new InputError(`${what} was built, but ${missing ?? 'its zip'} is gone: rebuild it`);
    if (typeof code === 'string') throw error; // a system error other than ENOENT (fflate's own codes are numbers)
    throw new InputError(`the zip of ${what} does not open (${(error as Error).message}): rebuild it`, { file: artifact.zipFile });
  }
  const { sizes, read } = measured;
  if (sizes.sha256 !== record.zip.sha256) {
    throw new InputError(
      `the zip of ${what} is not the one the build wrote (${sizes.zippedBytes} bytes, SHA-256 ${sizes.sha256.slice(0, 12)}…; ` +
        `the build record says ${record.zip.zippedBytes} bytes, ${record.zip.sha256.slice(0, 12)}…): it changed after the build; rebuild it`,
      { file: artifact.zipFile }
    );
  }
  if (read && (read.fileCount !== sizes.fileCount || read.unzippedBytes !== sizes.unzippedBytes)) {
    throw new InputError(
      `the folder of ${what} no longer matches its zip (${sizes.fileCount} files, ${sizes.unzippedBytes} bytes in ${artifact.root}; ` +
        `${read.fileCount} files, ${read.unzippedBytes} bytes in the zip): rebuild it`,
      { file: artifact.zipFile }
    );
  }
  return measured;
}
