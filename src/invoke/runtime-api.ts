/**
 * The Lambda Runtime API for one invocation, as pure request handling: a request in, a response (or "hold")
 * out, and what the runtime reported. The HTTP listener around it is runtime-api-server.ts.
 *
 * Paths and answers follow the Runtime API reference (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
 * `GET /2018-06-01/runtime/invocation/next` answers the event with the Lambda-Runtime-* headers;
 * `POST .../invocation/{id}/response` and `.../invocation/{id}/error` answer 202; `POST .../init/error` answers 202.
 * A second `next` is held open: Lambda freezes the environment there, and we end the process instead.
 */

const PREFIX = '/2018-06-01/runtime';
/** Synchronous invocations: 6 MB of response (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export interface InvocationEvent {
  requestId: string;
  body: Buffer;
  functionArn: string;
  /** The function's Timeout: the deadline the runtime counts down to (get_remaining_time_in_millis) is delivery plus this. */
  timeoutMs: number;
}

/** Lambda's error shape, as the runtime posts it (awslambdaric: errorMessage, errorType, stackTrace). */
export interface LambdaError {
  errorMessage: string;
  errorType: string;
  stackTrace?: string[];
  requestId?: string;
}

/** What the runtime told us, in the order it told us. */
export type RuntimeReport =
  | { kind: 'next' }
  | { kind: 'response'; body: Buffer }
  | { kind: 'error'; error: LambdaError }
  | { kind: 'init-error'; error: LambdaError };

export interface ApiRequest {
  method: string;
  /** The path and query, as received. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const json = (status: number, value: unknown): ApiResponse => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value)
});

const ACCEPTED = json(202, { status: 'OK' });

/** The error a runtime posted: its JSON when it is Lambda's shape, else the raw text under the header's type. */
export function parseLambdaError(body: Buffer, headerType: string | undefined): LambdaError {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object' && typeof parsed['errorMessage'] === 'string') {
      return {
        errorMessage: parsed['errorMessage'],
        errorType: typeof parsed['errorType'] === 'string' ? parsed['errorType'] : (headerType ?? 'Unhandled'),
        ...(Array.isArray(parsed['stackTrace']) && { stackTrace: parsed['stackTrace'].map(String) }),
        ...(typeof parsed['requestId'] === 'string' && { requestId: parsed['requestId'] })
      };
    }
  } catch {
    // Not JSON: kept as text below.
  }
  return { errorMessage: body.toString('utf8'), errorType: headerType ?? 'Unhandled' };
}

const header = (request: ApiRequest, name: string) => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** One invocation's Runtime API: `handle` answers each request; `report` hears what the runtime said. */
export class RuntimeApi {
  private delivered = false;
  private answered = false;

  constructor(
    private readonly event: InvocationEvent,
    private readonly report: (what: RuntimeReport) => void,
    private readonly now: () => number = Date.now
  ) {}

  handle(request: ApiRequest): ApiResponse | 'hold' {
    const url = new URL(request.url, 'http://runtime');
    const route = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
    if (route === '/invocation/next' && request.method === 'GET') return this.next();
    if (route === '/init/error' && request.method === 'POST') {
      this.report({ kind: 'init-error', error: parseLambdaError(request.body, header(request, 'Lambda-Runtime-Function-Error-Type')) });
      return ACCEPTED;
    }
    const match = route === undefined ? null : /^\/invocation\/([^/]+)\/(response|error)$/.exec(route);
    if (!match || request.method !== 'POST') return json(404, { errorMessage: 'Not Found', errorType: 'InvalidRequest' });
    const [, id, kind] = match;
    if (decodeURIComponent(id!) !== this.event.requestId || !this.delivered) {
      return json(400, { errorMessage: `Invalid request ID: "${id}"`, errorType: 'InvalidRequestID' });
    }
    if (this.answered)
      return json(400, { errorMessage: 'Invalid state: the invocation was already answered', errorType: 'InvalidStateTransition' });
    this.answered = true;
    if (kind === 'error') {
      this.report({ kind: 'error', error: parseLambdaError(request.body, header(request, 'Lambda-Runtime-Function-Error-Type')) });
      return ACCEPTED;
    }
    if (request.body.length > MAX_RESPONSE_BYTES) {
      const error = {
        errorMessage: `Response payload size (${request.body.length} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: 'Function.ResponseSizeTooLarge'
      };
      this.report({ kind: 'error', error });
      return json(413, error);
    }
    this.report({ kind: 'response', body: request.body });
    return ACCEPTED;
  }

  private next(): ApiResponse | 'hold' {
    if (this.delivered) return 'hold';
    this.delivered = true;
    this.report({ kind: 'next' });
    const deadline = this.now() + this.event.timeoutMs;
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': this.event.requestId,
        'Lambda-Runtime-Deadline-Ms': String(deadline),
        'Lambda-Runtime-Invoked-Function-Arn': this.event.functionArn,
        'Lambda-Runtime-Trace-Id': `Root=1-${Math.floor(deadline / 1000).toString(16)}-${this.event.requestId.replaceAll('-', '').slice(0, 24)};Sampled=0`
      },
      body: this.event.body
    };
  }
}
