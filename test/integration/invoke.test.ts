import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { invokeFunction, type FunctionUnderTest, type InvokeOutcome } from '../../src/invoke/invoke-function.js';
import { prepareSandbox, probeIsolation, type Isolation } from '../../src/invoke/sandbox.js';
import type { TargetPython } from '../../src/tools/tools.js';
import { RUNTIME, runtimeFiles, targetPython, zipOf } from '../helpers/invoke-fixture.js';

let python: TargetPython | undefined;
let isolation: Isolation;
let base: string;
let runtime: { runtimeDir: string; boto3: string };

beforeAll(async () => {
  python = await targetPython();
  base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-invoke-'));
  isolation = await probeIsolation(base);
  runtime = await runtimeFiles();
});
afterAll(() => rm(base, { recursive: true, force: true }));

interface Invoked extends InvokeOutcome {
  logs: string[];
  body: unknown;
}

async function invoke(
  code: Record<string, string>,
  options: { handler?: string; layers?: Array<Record<string, string>>; event?: unknown; fn?: Partial<FunctionUnderTest> } = {}
): Promise<Invoked> {
  if (!python) throw new Error('no CPython 3.12 on this machine');
  const root = await mkdtemp(path.join(base, 'fn-'));
  const functionZip = await zipOf(code, root);
  const layerZips = await Promise.all((options.layers ?? []).map((files) => zipOf(files, root)));
  const sandbox = await prepareSandbox(path.join(root, 'sandbox'), functionZip, layerZips);
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
    region: 'us-east-1',
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
  return { ...outcome, logs, body };
}

test("a handler that returns a value: the response, and a REPORT line in Lambda's form", async () => {
  const result = await invoke(
    { 'app.py': 'def handler(event, context):\n    return {"got": event["x"], "fn": context.function_name}\n' },
    { event: { x: 1 } }
  );
  console.log(result.logs.join('\n'));
  expect(result.body).toEqual({ got: 1, fn: 'Fn' });
  expect(result.error).toBeUndefined();
  expect(result.reportLine).toMatch(
    /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/
  );
});
