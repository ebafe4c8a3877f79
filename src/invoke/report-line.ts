/**
 * Lambda's log lines around an invocation, and its errors for what the runtime cannot report itself. Pure.
 * The REPORT line's form is the one CloudWatch shows for a Python function
 * (https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html): tab-separated fields, durations to two
 * decimals, memory in MB, Init Duration on a cold start, and `Status`/`Error Type` when the platform ended it.
 */

export interface ReportFigures {
  requestId: string;
  durationMs: number;
  initDurationMs?: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Set when the platform ended the invocation (a timeout, out of memory, the runtime exiting). */
  platformError?: { status: 'timeout' | 'error'; errorType: string };
}

/**
 * Whole milliseconds, rounded up; since August 2025 the init phase of an on-demand function on a managed runtime is
 * billed too (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/).
 */
export function billedDurationMs(durationMs: number, initDurationMs = 0): number {
  return Math.ceil(durationMs + initDurationMs);
}

export const startLine = (requestId: string) => `START RequestId: ${requestId} Version: $LATEST`;
export const endLine = (requestId: string) => `END RequestId: ${requestId}`;

export function reportLine(figures: ReportFigures): string {
  const fields = [
    `REPORT RequestId: ${figures.requestId}`,
    `Duration: ${figures.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(figures.durationMs, figures.initDurationMs)} ms`,
    `Memory Size: ${figures.memorySizeMB} MB`,
    `Max Memory Used: ${figures.maxMemoryUsedMB} MB`,
    ...(figures.initDurationMs !== undefined ? [`Init Duration: ${figures.initDurationMs.toFixed(2)} ms`] : []),
    ...(figures.platformError ? [`Status: ${figures.platformError.status}`, `Error Type: ${figures.platformError.errorType}`] : [])
  ];
  return fields.join('\t');
}

/** "Task timed out after 3.00 seconds": the log line and, prefixed with the request, the error Lambda returns (Sandbox.Timedout). */
export const timeoutMessage = (timeoutSeconds: number) => `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;

/**
 * What Lambda returns when the platform ended the invocation: `RequestId: <id> Error: <what>` with Sandbox.Timedout
 * for a timeout, Runtime.OutOfMemory for a process killed past its memory ("Runtime exited with error: signal:
 * killed"), Runtime.ExitError for a runtime that exited on its own.
 */
export function platformErrorPayload(requestId: string, errorType: string, what: string): { errorMessage: string; errorType: string } {
  return { errorMessage: `RequestId: ${requestId} Error: ${what}`, errorType };
}
