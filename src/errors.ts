/** Where a problem is, so messages and annotations can point at it. */
export interface SourceLocation {
  file: string;
  line?: number;
}

/** Bad input (template, config, flags): exit code 2, nothing built. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly location?: SourceLocation
  ) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
  }
}

/** A build step failed (pip, a limit, verification): exit code 1. */
export class BuildError extends Error {
  override name = 'BuildError';
  constructor(
    message: string,
    readonly location?: SourceLocation
  ) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
  }
}

export function formatLocation(loc: SourceLocation): string {
  return loc.line ? `${loc.file}:${loc.line}` : loc.file;
}

export const ExitCode = { ok: 0, failed: 1, badInput: 2 } as const;

export function exitCodeFor(error: unknown): number {
  return error instanceof InputError ? ExitCode.badInput : ExitCode.failed;
}
