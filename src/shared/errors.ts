/** Where a problem is, so messages and annotations can point at it. */
export interface SourceLocation {
  file: string;
  line?: number;
}

/** An error that can point at the file (and line) it is about. */
export abstract class LocatedError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation
  ) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
  }
}

/** Bad input (template, config, flags): exit code 2, nothing built. */
export class InputError extends LocatedError {
  override name = 'InputError';
}

/** A build step failed (pip, a limit, verification): exit code 1. */
export class BuildError extends LocatedError {
  override name = 'BuildError';
}

export function formatLocation(loc: SourceLocation): string {
  return loc.line ? `${loc.file}:${loc.line}` : loc.file;
}

export const ExitCode = { ok: 0, failed: 1, badInput: 2 } as const;

export function exitCodeFor(error: unknown): number {
  return error instanceof InputError ? ExitCode.badInput : ExitCode.failed;
}

/** The message of anything thrown, for messages that quote a cause. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a system error means, said for a user (Node's own wording is terse and sometimes misleading). */
const SYSTEM_CAUSES: Record<string, { cause: string; exit: number }> = {
  ENOSPC: { cause: 'no space left on the device', exit: ExitCode.failed },
  EDQUOT: { cause: 'the disk quota is exceeded', exit: ExitCode.failed },
  EROFS: { cause: 'the file system is read-only', exit: ExitCode.failed },
  EACCES: { cause: 'permission denied', exit: ExitCode.failed },
  EPERM: { cause: 'operation not permitted', exit: ExitCode.failed },
  EMFILE: { cause: 'too many open files', exit: ExitCode.failed },
  EISDIR: { cause: 'a folder where a file is expected', exit: ExitCode.badInput },
  ENOTDIR: { cause: 'a file where a folder is expected', exit: ExitCode.badInput },
  ENAMETOOLONG: { cause: 'the name is too long for the file system', exit: ExitCode.badInput },
  ELOOP: { cause: 'too many levels of symbolic links', exit: ExitCode.badInput }
};

/**
 * A one-line account of an error the machine or a path caused (no stack: it is not a bug), naming the path,
 * with its exit code; undefined for anything else.
 */
export function describeSystemError(error: unknown): { message: string; exit: number } | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const known = code ? SYSTEM_CAUSES[code] : undefined;
  if (!known) return undefined;
  return { message: `${path ?? 'a file'}: ${known.cause} (${syscall ?? 'a file operation'} failed with ${code})`, exit: known.exit };
}
