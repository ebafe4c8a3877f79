/**
 * Tiny handlers run through Lambda's real runtime interface client (awslambdaric from PyPI) with the real CPython
 * 3.12, against our Runtime API, each compared with what Lambda documents for the same case.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { invokeFunction, type FunctionUnderTest, type InvokeOutcome } from '../../src/invoke/invoke-function.js';
import { extractLayers, prepareSandbox, probeIsolation } from '../../src/invoke/sandbox.js';
import { RUNTIME, runtimeFiles, targetPython, zipOf } from '../helpers/invoke-fixture.js';

const base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-invoke-'));
const python = await targetPython();
const isolation = await probeIsolation(base);
afterAll(() => rm(base, { recursive: true, force: true }));

interface Invoked extends InvokeOutcome {
  logs: string;
  body: unknown;
}

async function invoke(
  code: Record<string, string>,
  options: { handler?: string; layers?: Array<Record<string, string>>; event?: unknown; fn?: Partial<FunctionUnderTest> } = {}
): Promise<Invoked> {
  if (!python) throw new Error('these tests need CPython 3.12 (pyenv or the tool cache)');
  const runtime = await runtimeFiles();
  const root = await mkdtemp(path.join(base, 'fn-'));
  const functionZip = await zipOf(code, root);
  const layerZips = [];
  for (const files of options.layers ?? []) layerZips.push(await zipOf(files, root));
  const sandbox = await prepareSandbox(path.join(root, 'sandbox'), functionZip, await extractLayers(path.join(root, 'opt'), layerZips));
  const logs: string[] = [];
  const outcome = await invokeFunction({
    fn: {
      name: 'Fn',
      handler: options.handler ?? 'app.handler',
      runtime: RUNTIME,
      pythonVersion: '3.12',
      memorySizeMB: 128,
      timeoutSeconds: 3,
      variables: {},
      ...options.fn
    },
    sandbox,
    isolation,
    python: python.path,
    runtimeDir: runtime.runtimeDir,
    runtimePackages: [runtime.boto3],
    region: 'eu-west-1',
    event: Buffer.from(JSON.stringify(options.event ?? {})),
    log: (line) => logs.push(line),
    hostEnv: process.env
  });
  const text = outcome.payload.toString('utf8');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Kept as text.
  }
  return { ...outcome, logs: logs.join('\n'), body };
}

const handler = (body: string, head = '') => ({ 'app.py': `${head}\ndef handler(event, context):\n${body}\n` });

// https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html: "REPORT RequestId: … Duration: 2.89 ms
// Billed Duration: 3 ms Memory Size: 128 MB Max Memory Used: 39 MB Init Duration: 127.89 ms" (tab-separated).
const REPORT =
  /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/;

test("a handler that returns a value: the response, START/END and a REPORT line in Lambda's form", async () => {
  const result = await invoke(
    handler('    return {"got": event["x"], "fn": context.function_name, "left": context.get_remaining_time_in_millis()}'),
    {
      event: { x: 1 }
    }
  );
  expect(result.error).toBeUndefined();
  expect(result.body).toMatchObject({ got: 1, fn: 'Fn' });
  // The deadline is the invoke's start plus Timeout (3 s here).
  expect((result.body as { left: number }).left).toBeGreaterThan(2000);
  expect((result.body as { left: number }).left).toBeLessThanOrEqual(3000);
  expect(result.reportLine).toMatch(REPORT);
  expect(result.logs).toMatch(new RegExp(`^START RequestId: ${result.requestId} Version: \\$LATEST$`, 'm'));
  expect(result.logs).toMatch(new RegExp(`^END RequestId: ${result.requestId}$`, 'm'));
  expect(result.initDurationMs).toBeGreaterThan(0);
  expect(result.maxMemoryUsedMB).toBeGreaterThan(5);
  expect(result.billedDurationMs).toBe(Math.ceil(result.durationMs + result.initDurationMs!));
});

test("Lambda's environment variables and search path, the template's variables with them", async () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime and
  // https://docs.aws.amazon.com/lambda/latest/dg/python-package.html#python-package-searchpath: the function's folder,
  // then /opt/python/lib/python3.x/site-packages, then /opt/python, then the runtime's.
  const result = await invoke(
    handler(
      '    keys = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION", "AWS_DEFAULT_REGION", "TZ", "_HANDLER", "AWS_EXECUTION_ENV", "LANG", "STAGE", "AWS_ACCESS_KEY_ID"]\n' +
        '    return {"env": {k: os.environ.get(k) for k in keys}, "root": os.environ["LAMBDA_TASK_ROOT"], "cwd": os.getcwd(), "path": sys.path[:4], "api": os.environ["AWS_LAMBDA_RUNTIME_API"], "site": sys.flags.no_site}',
      'import os, sys'
    ),
    { fn: { variables: { STAGE: 'dev', AWS_REGION: 'not-overridable' } } }
  );
  const body = result.body as { env: Record<string, string>; root: string; cwd: string; path: string[]; api: string; site: number };
  expect(body.env).toEqual({
    AWS_LAMBDA_FUNCTION_NAME: 'Fn',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    TZ: ':UTC',
    _HANDLER: 'app.handler',
    AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
    LANG: 'en_US.UTF-8',
    STAGE: 'dev',
    AWS_ACCESS_KEY_ID: null
  });
  expect(body.cwd).toBe(body.root);
  expect(body.path[0]).toBe(body.root);
  expect(body.path.slice(1, 3).map((p) => p.slice(p.indexOf('/opt/')))).toEqual([
    '/opt/python/lib/python3.12/site-packages',
    '/opt/python'
  ]);
  expect(body.api).toMatch(/^127\.0\.0\.1:\d+$/);
  // Nothing of the host's site folders.
  expect(body.site).toBe(1);
});

test('reads a file relative to LAMBDA_TASK_ROOT', async () => {
  const result = await invoke({
    ...handler('    return open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "data", "greeting.txt")).read()', 'import os'),
    'data/greeting.txt': 'hello from the task root'
  });
  expect(result.body).toBe('hello from the task root');
});

test('writes to /tmp (TMPDIR: a private folder per invocation)', async () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html: "/tmp" is the function's
  // writable ephemeral storage.
  const result = await invoke(
    handler(
      '    folder = tempfile.gettempdir()\n    with open(os.path.join(folder, "x.txt"), "w") as f:\n        f.write("written")\n    return {"text": open(os.path.join(folder, "x.txt")).read(), "empty": os.listdir(folder) == ["x.txt"]}',
      'import os, tempfile'
    )
  );
  expect(result.body).toEqual({ text: 'written', empty: true });
});

(isolation.readOnly ? test : test.skip)(
  `cannot write to the task root or /opt${isolation.readOnly ? '' : ` (skipped: ${isolation.why})`}`,
  async () => {
    // Lambda's task root and /opt are read-only: "[Errno 30] Read-only file system" (OSError).
    const result = await invoke(handler('    open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "new.txt"), "w")', 'import os'), {
      layers: [{ 'python/lib.py': 'X = 1\n' }]
    });
    expect(result.error).toMatchObject({ errorType: 'OSError' });
    expect(result.error?.errorMessage).toMatch(/^\[Errno 30\] Read-only file system: '.*\/task\/new\.txt'$/);
    const opt = await invoke(handler('    open(os.path.join(os.path.dirname(lib.__file__), "new.txt"), "w")', 'import os, lib'), {
      layers: [{ 'python/lib.py': 'X = 1\n' }]
    });
    expect(opt.error?.errorMessage).toMatch(/^\[Errno 30\] Read-only file system: '.*\/opt\/python\/new\.txt'$/);
  }
);

test("imports from layers in their order; the function's own module wins over a layer's", async () => {
  const result = await invoke(
    {
      ...handler('    return [shared.WHO, base.WHO, top.WHO, mine.WHO]', 'import shared, base, top, mine'),
      'mine.py': 'WHO = "function"\n'
    },
    {
      layers: [
        { 'python/lib/python3.12/site-packages/shared.py': 'WHO = "first layer"\n', 'python/base.py': 'WHO = "first layer"\n' },
        // A later layer's file replaces an earlier one's (Lambda extracts them in order into /opt).
        {
          'python/lib/python3.12/site-packages/shared.py': 'WHO = "second layer"\n',
          'python/top.py': 'WHO = "second"\n',
          'python/mine.py': 'WHO = "layer"\n'
        }
      ]
    }
  );
  expect(result.body).toEqual(['second layer', 'first layer', 'second', 'function']);
});

test('importlib.metadata finds the distributions a layer ships', async () => {
  const result = await invoke(handler('    return importlib.metadata.version("tiny-thing")', 'import importlib.metadata'), {
    layers: [
      {
        'python/lib/python3.12/site-packages/tiny_thing/__init__.py': '',
        'python/lib/python3.12/site-packages/tiny_thing-1.2.3.dist-info/METADATA':
          'Metadata-Version: 2.1\nName: tiny-thing\nVersion: 1.2.3\n',
        'python/lib/python3.12/site-packages/tiny_thing-1.2.3.dist-info/RECORD': ''
      }
    ]
  });
  expect(result.body).toBe('1.2.3');
});

test("the runtime's boto3 is importable without shipping it", async () => {
  const result = await invoke(handler('    return boto3.__name__', 'import boto3'));
  expect(result.body).toBe('boto3');
});

test("an exception: Lambda's error shape (errorMessage, errorType, stackTrace) and the [ERROR] log", async () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html: the response is
  // {"errorMessage": ..., "errorType": ..., "requestId": ..., "stackTrace": [...]}; the log shows "[ERROR] <type>: <message>".
  const result = await invoke(handler('    raise ValueError("no good")'));
  expect(result.error).toMatchObject({ errorType: 'ValueError', errorMessage: 'no good' });
  expect(result.error?.stackTrace?.join('')).toContain('raise ValueError("no good")');
  expect(result.body).toMatchObject({ errorType: 'ValueError', errorMessage: 'no good', requestId: result.requestId });
  expect(result.logs).toContain('[ERROR] ValueError: no good');
  expect(result.reportLine).toMatch(REPORT);
});

test('an import that fails at init: Runtime.ImportModuleError', async () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html and the troubleshooting guide:
  // "Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'requests'".
  const result = await invoke(handler('    return 1', 'import not_installed_anywhere'));
  expect(result.error).toMatchObject({
    errorType: 'Runtime.ImportModuleError',
    errorMessage: "Unable to import module 'app': No module named 'not_installed_anywhere'"
  });
  expect(result.logs).toContain("[ERROR] Runtime.ImportModuleError: Unable to import module 'app'");
  // The runtime never asked for the event: init ended it.
  expect(result.durationMs).toBe(0);
  expect(result.initDurationMs).toBeGreaterThan(0);
  expect(result.reportLine).toMatch(/\tStatus: error\tError Type: Runtime\.ImportModuleError$/);
});

test('a module that raises at import: an init error of that type', async () => {
  const result = await invoke(handler('    return 1', 'raise RuntimeError("broken at import")'));
  expect(result.error).toMatchObject({ errorType: 'RuntimeError', errorMessage: 'broken at import' });
});

test('a handler the module does not have: Runtime.HandlerNotFound', async () => {
  // Lambda: "Runtime.HandlerNotFound: Handler 'handler' missing on module 'lambda_function'".
  const result = await invoke(handler('    return 1'), { handler: 'app.nope' });
  expect(result.error).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: "Handler 'nope' missing on module 'app'" });
});

test('a response that is not JSON-serialisable: Runtime.MarshalError', async () => {
  // Lambda: "Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON serializable".
  const result = await invoke(handler('    return {1, 2}'));
  expect(result.error).toMatchObject({
    errorType: 'Runtime.MarshalError',
    errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable'
  });
});

test('sleeping past the Timeout: "Task timed out after 1.00 seconds" (Sandbox.Timedout), the process ended', async () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html; the log line is
  // "<time> <request id> Task timed out after 1.00 seconds" and the REPORT line ends "Status: timeout".
  const result = await invoke(handler('    time.sleep(30)', 'import time'), { fn: { timeoutSeconds: 1 } });
  expect(result.error).toEqual({
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds`
  });
  expect(result.logs).toMatch(new RegExp(`Z ${result.requestId} Task timed out after 1\\.00 seconds$`, 'm'));
  expect(result.durationMs).toBeGreaterThanOrEqual(1000);
  expect(result.durationMs).toBeLessThan(5000);
  expect(result.reportLine).toMatch(/\tStatus: timeout\tError Type: Sandbox\.Timedout$/);
});

test('allocating past MemorySize: the runtime killed, "Runtime exited with error: signal: killed" (Runtime.OutOfMemory)', async () => {
  // Lambda: "RequestId: … Error: Runtime exited with error: signal: killed" with errorType Runtime.OutOfMemory, and
  // a REPORT line whose Max Memory Used reaches Memory Size.
  const result = await invoke(
    handler('    chunks = []\n    for _ in range(64):\n        chunks.append(b"x" * (8 * 1024 * 1024))\n    return len(chunks)')
  );
  expect(result.error).toEqual({
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed`
  });
  expect(result.maxMemoryUsedMB).toBeGreaterThanOrEqual(128);
  expect(result.reportLine).toMatch(/\tStatus: error\tError Type: Runtime\.OutOfMemory$/);
});

test('printing unicode: the log keeps it (LANG en_US.UTF-8, UTF-8 output)', async () => {
  const result = await invoke(handler('    print("héllo wörld ✓ 🌍")\n    return "ünïcode ✓"'));
  expect(result.logs).toContain('héllo wörld ✓ 🌍');
  expect(result.body).toBe('ünïcode ✓');
});

test('each invocation is a fresh process: nothing survives from one to the next', async () => {
  const code = handler('    global COUNT\n    COUNT += 1\n    return COUNT', 'COUNT = 0');
  expect((await invoke(code)).body).toBe(1);
  expect((await invoke(code)).body).toBe(1);
});
