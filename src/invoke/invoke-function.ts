import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { removedAfter } from '../shared/interrupt.js';
import { lambdaEnvironment } from './lambda-env.js';
import { billedDurationMs, endLine, platformErrorPayload, reportLine, startLine, timeoutMessage } from './report-line.js';
import { RuntimeApi, type LambdaError, type RuntimeReport } from './runtime-api.js';
import { serveRuntimeApi } from './runtime-api-server.js';
import { isolatedCommand, type Isolation, type Sandbox } from './sandbox.js';

export interface FunctionUnderTest {
  name: string;
  handler: string;
  runtime: string;
  /** "3.12" */
  pythonVersion: string;
  memorySizeMB: number;
  timeoutSeconds: number;
  variables: Readonly<Record<string, string>>;
}

export interface InvokeRequest {
  fn: FunctionUnderTest;
  sandbox: Sandbox;
  isolation: Isolation;
  /** The target CPython. */
  python: string;
  /** LAMBDA_RUNTIME_DIR (awslambdaric) and the runtime's other packages (boto3). */
  runtimeDir: string;
  runtimePackages: readonly string[];
  region: string;
  event: Buffer;
  /** The function's output and Lambda's START/END/REPORT lines, one line at a time. */
  log: (line: string) => void;
  /** The host's environment: only its LD_LIBRARY_PATH is passed on. */
  hostEnv: NodeJS.ProcessEnv;
}

export interface InvokeOutcome {
  requestId: string;
  /** What Lambda's Invoke returns: the response, or the error's JSON. */
  payload: Buffer;
  error?: LambdaError;
  /** Absent when the runtime never asked for the event (an init error, a crash at start). */
  initDurationMs?: number;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  reportLine: string;
}

/** How an invocation ended: the runtime answered, the process exited, or a limit ended it. */
type Ending = Exclude<RuntimeReport, { kind: 'next' }> | { kind: 'exit'; what: string } | { kind: 'limit'; which: 'timeout' | 'memory' };

const MiB = 1024 * 1024;
const SAMPLE_MS = 10;

/** The peak resident set of a process (VmHWM), in bytes; undefined once it is gone. */
function peakRss(pid: number): number | undefined {
  try {
    const kB = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kB === undefined ? undefined : Number(kB) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * One invocation in a fresh process, as Lambda runs a cold start: the Runtime API served for this event, the real
 * runtime interface client (`python -m awslambdaric <handler>`) started in the task root with Lambda's environment,
 * Timeout and MemorySize enforced by ending the process.
 *
 * Memory: Lambda's limit is its sandbox's cgroup; an address-space limit (RLIMIT_AS) would refuse the large virtual
 * mappings numpy and friends reserve without using. So the process's resident set is read from /proc every 10 ms:
 * its high-water mark (VmHWM, kept by the kernel, so no peak between samples is missed) is Max Memory Used, and past
 * MemorySize the process is killed as Lambda's would be ("Runtime exited with error: signal: killed",
 * Runtime.OutOfMemory). Child processes the function starts are not counted.
 */
export async function invokeFunction(request: InvokeRequest): Promise<InvokeOutcome> {
  const { fn } = request;
  const tmp = await mkdtemp(path.join(request.sandbox.root, 'tmp-'));
  return removedAfter(tmp, async () => {
    const requestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    let settle: (ending: Ending) => void = () => {};
    const answered = new Promise<Ending>((resolve) => (settle = resolve));
    let nextAt: number | undefined;
    let limit: NodeJS.Timeout | undefined;
    const api = new RuntimeApi(
      { requestId, body: request.event, functionArn: functionArn(fn.name, request.region), timeoutMs },
      (report) => {
        if (report.kind === 'next') {
          nextAt = performance.now();
          request.log(startLine(requestId));
          limit?.refresh();
        } else settle(report);
      }
    );
    const server = await serveRuntimeApi(api);
    try {
      const env = lambdaEnvironment({
        functionName: fn.name,
        handler: fn.handler,
        runtime: fn.runtime,
        pythonVersion: fn.pythonVersion,
        memorySizeMB: fn.memorySizeMB,
        region: request.region,
        runtimeApi: server.address,
        variables: fn.variables,
        paths: {
          taskRoot: request.sandbox.taskRoot,
          opt: request.sandbox.opt,
          runtimeDir: request.runtimeDir,
          runtimePackages: request.runtimePackages,
          tmp,
          pythonBin: path.dirname(request.python)
        },
        now: new Date(),
        streamId: randomBytes(16).toString('hex'),
        hostLibraryPath: request.hostEnv['LD_LIBRARY_PATH']
      });
      // Where nothing is read-only, bytecode would be written into the sandbox: later events would not start cold.
      if (!request.isolation.readOnly) env['PYTHONDONTWRITEBYTECODE'] = '1';
      // -S: no site folders of the host's Python; PYTHONPATH (above) is the whole search path after the task root.
      const [program, args] = isolatedCommand(
        request.isolation,
        [request.sandbox.taskRoot, request.sandbox.opt],
        [request.python, '-S', '-m', 'awslambdaric', fn.handler]
      );
      const startedAt = performance.now();
      const child = spawn(program, args, { cwd: request.sandbox.taskRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      forwardLines(child.stdout, request.log);
      forwardLines(child.stderr, request.log);
      // Init gets the function's Timeout too: Lambda re-runs an init that passed its 10 s within the invoke's Timeout.
      limit = setTimeout(() => settle({ kind: 'limit', which: 'timeout' }), timeoutMs);
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, child.pid === undefined ? 0 : (peakRss(child.pid) ?? 0));
        if (peak > fn.memorySizeMB * MiB) settle({ kind: 'limit', which: 'memory' });
      }, SAMPLE_MS);
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.once('error', (error) => settle({ kind: 'exit', what: error.message }));
      child.once('exit', (code, signal) => settle({ kind: 'exit', what: signal ? `signal: ${signal}` : `exit status ${code}` }));
      const outcome = await answered;
      const endedAt = performance.now();
      clearTimeout(limit);
      clearInterval(sampler);
      if (child.pid !== undefined) peak = Math.max(peak, peakRss(child.pid) ?? 0);
      child.kill('SIGKILL');
      await exited;

      const initDurationMs = nextAt === undefined ? (outcome.kind === 'init-error' ? endedAt - startedAt : undefined) : nextAt - startedAt;
      const timedOut = outcome.kind === 'limit' && outcome.which === 'timeout';
      // A timer fires a little early or late: a timeout lasted the Timeout at least, as Lambda reports it.
      const durationMs = nextAt === undefined ? 0 : timedOut ? Math.max(endedAt - nextAt, timeoutMs) : endedAt - nextAt;
      let error: LambdaError | undefined;
      let platformError: { status: 'timeout' | 'error'; errorType: string } | undefined;
      let payload: Buffer;
      if (outcome.kind === 'response') payload = outcome.body;
      else {
        if (outcome.kind === 'error' || outcome.kind === 'init-error') error = outcome.error;
        else if (timedOut) {
          request.log(`${new Date().toISOString()} ${requestId} ${timeoutMessage(fn.timeoutSeconds)}`);
          error = platformErrorPayload(requestId, 'Sandbox.Timedout', timeoutMessage(fn.timeoutSeconds));
        } else if (outcome.kind === 'limit') {
          error = platformErrorPayload(requestId, 'Runtime.OutOfMemory', 'Runtime exited with error: signal: killed');
        } else {
          error = platformErrorPayload(requestId, 'Runtime.ExitError', `Runtime exited with error: ${outcome.what}`);
        }
        if (outcome.kind !== 'error')
          platformError = {
            status: outcome.kind === 'limit' && outcome.which === 'timeout' ? 'timeout' : 'error',
            errorType: error.errorType
          };
        payload = Buffer.from(JSON.stringify(error));
      }
      const figures = {
        requestId,
        durationMs,
        ...(initDurationMs !== undefined && { initDurationMs }),
        memorySizeMB: fn.memorySizeMB,
        maxMemoryUsedMB: Math.round(peak / MiB),
        ...(platformError && { platformError })
      };
      const line = reportLine(figures);
      request.log(endLine(requestId));
      request.log(line);
      return {
        requestId,
        payload,
        ...(error && { error }),
        ...(initDurationMs !== undefined && { initDurationMs }),
        durationMs,
        billedDurationMs: billedDurationMs(durationMs, initDurationMs),
        memorySizeMB: fn.memorySizeMB,
        maxMemoryUsedMB: figures.maxMemoryUsedMB,
        reportLine: line
      };
    } finally {
      await server.close();
    }
  });
}

/** The ARN Lambda's context.invoked_function_arn shows; the account is a placeholder, as SAM's local invoke uses. */
const functionArn = (name: string, region: string) => `arn:aws:lambda:${region}:123456789012:function:${name.replaceAll('/', '-')}`;

function forwardLines(stream: NodeJS.ReadableStream, log: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) log(line);
  });
  stream.on('end', () => {
    if (pending) log(pending);
  });
}
