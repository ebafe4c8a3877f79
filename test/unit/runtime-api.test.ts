/**
 * The Runtime API as the runtime interface client sees it
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): the pure handler, then the real listener.
 */
import { request } from 'node:http';
import { MAX_RESPONSE_BYTES, parseLambdaError, RuntimeApi, type ApiRequest, type RuntimeReport } from '../../src/invoke/runtime-api.js';
import { serveRuntimeApi } from '../../src/invoke/runtime-api-server.js';

const EVENT = {
  requestId: 'req-1',
  body: Buffer.from('{"a":1}'),
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn',
  timeoutMs: 3000
};

function api() {
  const reports: RuntimeReport[] = [];
  return {
    reports,
    api: new RuntimeApi(
      EVENT,
      (r) => reports.push(r),
      () => 1_000_000
    )
  };
}

const req = (method: string, url: string, body = '', headers: ApiRequest['headers'] = {}): ApiRequest => ({
  method,
  url,
  headers,
  body: Buffer.from(body)
});

test('next: the event with the Lambda-Runtime-* headers; the deadline is delivery plus the Timeout', () => {
  const { api: runtime, reports } = api();
  const answer = runtime.handle(req('GET', '/2018-06-01/runtime/invocation/next'));
  expect(answer).toMatchObject({
    status: 200,
    headers: {
      'Lambda-Runtime-Aws-Request-Id': 'req-1',
      'Lambda-Runtime-Deadline-Ms': '1003000',
      'Lambda-Runtime-Invoked-Function-Arn': EVENT.functionArn,
      'Content-Type': 'application/json'
    },
    body: EVENT.body
  });
  expect(answer !== 'hold' && answer.headers['Lambda-Runtime-Trace-Id']).toMatch(/^Root=1-[0-9a-f]+-[0-9a-z]+;Sampled=0$/);
  expect(reports).toEqual([{ kind: 'next' }]);
  // One event per process: a second next waits, as Lambda's would until the next invoke.
  expect(runtime.handle(req('GET', '/2018-06-01/runtime/invocation/next'))).toBe('hold');
});

test('response: 202, once, for the delivered request only', () => {
  const { api: runtime, reports } = api();
  const early = runtime.handle(req('POST', '/2018-06-01/runtime/invocation/req-1/response', '"ok"'));
  expect(early !== 'hold' && [early.status, JSON.parse(String(early.body))]).toEqual([
    400,
    expect.objectContaining({ errorType: 'InvalidRequestID' })
  ]);
  runtime.handle(req('GET', '/2018-06-01/runtime/invocation/next'));
  expect(runtime.handle(req('POST', '/2018-06-01/runtime/invocation/other/response', '"ok"'))).toMatchObject({ status: 400 });
  expect(runtime.handle(req('POST', '/2018-06-01/runtime/invocation/req-1/response', '"ok"'))).toMatchObject({ status: 202 });
  const again = runtime.handle(req('POST', '/2018-06-01/runtime/invocation/req-1/response', '"again"'));
  expect(again !== 'hold' && [again.status, JSON.parse(String(again.body))]).toEqual([
    400,
    expect.objectContaining({ errorType: 'InvalidStateTransition' })
  ]);
  expect(reports).toEqual([{ kind: 'next' }, { kind: 'response', body: Buffer.from('"ok"') }]);
});

test("a response over 6 MB: 413 and Lambda's Function.ResponseSizeTooLarge", () => {
  const { api: runtime, reports } = api();
  runtime.handle(req('GET', '/2018-06-01/runtime/invocation/next'));
  const answer = runtime.handle(req('POST', '/2018-06-01/runtime/invocation/req-1/response', 'x'.repeat(MAX_RESPONSE_BYTES + 1)));
  expect(answer).toMatchObject({ status: 413 });
  expect(reports[1]).toMatchObject({ kind: 'error', error: { errorType: 'Function.ResponseSizeTooLarge' } });
});

test('error and init/error: the error as the runtime posted it', () => {
  const { api: runtime, reports } = api();
  const error = { errorMessage: 'boom', errorType: 'ValueError', stackTrace: ['  File "app.py"'], requestId: 'req-1' };
  expect(runtime.handle(req('POST', '/2018-06-01/runtime/init/error', JSON.stringify(error)))).toMatchObject({ status: 202 });
  runtime.handle(req('GET', '/2018-06-01/runtime/invocation/next'));
  expect(runtime.handle(req('POST', '/2018-06-01/runtime/invocation/req-1/error', JSON.stringify(error)))).toMatchObject({ status: 202 });
  expect(reports).toEqual([{ kind: 'init-error', error }, { kind: 'next' }, { kind: 'error', error }]);
});

test('an error body that is not Lambda JSON keeps its text, typed by the Lambda-Runtime-Function-Error-Type header', () => {
  expect(parseLambdaError(Buffer.from('plain text'), 'Runtime.Custom')).toEqual({
    errorMessage: 'plain text',
    errorType: 'Runtime.Custom'
  });
  expect(parseLambdaError(Buffer.from('{"errorType": 1}'), undefined)).toEqual({
    errorMessage: '{"errorType": 1}',
    errorType: 'Unhandled'
  });
  expect(parseLambdaError(Buffer.from('{"errorMessage": "m", "stackTrace": [1]}'), 'T')).toEqual({
    errorMessage: 'm',
    errorType: 'T',
    stackTrace: ['1']
  });
});

test.each([
  ['GET', '/2018-06-01/runtime/invocation/req-1/response'],
  ['POST', '/2018-06-01/runtime/invocation/next'],
  ['GET', '/2020-01-01/runtime/invocation/next'],
  ['POST', '/2018-06-01/runtime/invocation/req-1/other'],
  ['GET', '/']
])('%s %s: 404', (method, url) => {
  expect(api().api.handle(req(method, url))).toMatchObject({ status: 404 });
});

describe('the listener', () => {
  const call = (address: string, method: string, url: string, body?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const [host, port] = address.split(':');
      const r = request({ host, port: Number(port), method, path: url }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      r.on('error', reject);
      r.end(body);
    });

  test('serves on 127.0.0.1, answers over HTTP, and closes with a held request open', async () => {
    const reports: RuntimeReport[] = [];
    const server = await serveRuntimeApi(new RuntimeApi(EVENT, (r) => reports.push(r)));
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const next = await call(server.address, 'GET', '/2018-06-01/runtime/invocation/next');
    expect(next).toMatchObject({ status: 200, body: '{"a":1}', headers: { 'lambda-runtime-aws-request-id': 'req-1' } });
    const held = call(server.address, 'GET', '/2018-06-01/runtime/invocation/next').then(
      () => 'answered',
      (error: Error) => error.message
    );
    const answer = await call(server.address, 'POST', '/2018-06-01/runtime/invocation/req-1/response', '{"r":2}');
    expect(answer.status).toBe(202);
    await server.close();
    // The held request ends with the server: no response.
    expect(await held).toMatch(/socket hang up|ECONNRESET/);
    expect(reports).toEqual([{ kind: 'next' }, { kind: 'response', body: Buffer.from('{"r":2}') }]);
  });
});
