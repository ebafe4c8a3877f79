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
