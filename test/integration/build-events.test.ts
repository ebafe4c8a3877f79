/**
 * Events in the build, through the shipped CLI on the sample app: after verification each function runs with each
 * of its events in a fresh process (real awslambdaric, real CPython 3.12), and the report records Lambda's figures.
 */
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { seedCache } from '../helpers/invoke-fixture.js';
import { makeSampleApp, runCli, type SampleApp } from '../helpers/sample-app.js';

const apps: SampleApp[] = [];
afterAll(async () => {
  for (const app of apps) await rm(app.base, { recursive: true, force: true });
});

/** The sample app with `files` over it, and an `events:` section added to its config file. */
async function buildWith(files: Record<string, string>, events?: string, env: Record<string, string> = {}) {
  const app = await makeSampleApp(files);
  apps.push(app);
  if (events) await appendFile(path.join(app.repo, 'lambda-layers.yaml'), `events:\n${events}`);
  // awslambdaric and boto3 from the shared test cache: the sample app's pip sees only its local index.
  await seedCache(path.join(app.cache, 'lambda-layers'));
  const result = await runCli(app, ['build'], env);
  const report = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8').catch(() => 'null')) as Report | null;
  return { app, result, report };
}

test('events by convention and by config: each runs, an expected failure passes, the report has the figures', async () => {
  const { result, report } = await buildWith(
    {
      'functions/validate/app.py':
        'import os, tiny_core\n\ndef handler(event, context):\n    return {"version": tiny_core.__version__, "stage": os.environ["STAGE"], "x": event.get("x")}\n',
      'functions/predict/app.py':
        'import tiny_ml, tiny_helper\n\ndef handler(event, context):\n    if event.get("bad"):\n        raise ValueError("bad row")\n    return 1\n',
      // Convention: events/<LogicalId or code folder>[-.<anything>].json beside the template.
      'events/Validate.json': '{"x": 1}',
      'events/validate-second.json': '{"x": 2}',
      'events/validated-other.json': '{"not": "mine"}',
      'events/predict-ok.json': '{}',
      'events/predict-bad.json': '{"bad": true}'
    },
    '  Predict:\n    - events/predict-ok.json\n    - path: events/predict-bad.json\n      expect: error\n'
  );
  expect(result.stderr).not.toContain('error:');
  expect(result.code).toBe(0);
  const validate = report?.functions.find((f) => f.name === 'Validate');
  expect(validate?.invocations?.status).toBe('ran');
  expect(validate?.invocations?.results.map((r) => [r.event, r.status])).toEqual([
    ['events/Validate.json', 'passed'],
    ['events/validate-second.json', 'passed']
  ]);
  for (const r of validate?.invocations?.results ?? []) {
    expect(r.memorySizeMB).toBe(128);
    expect(r.initDurationMs).toBeGreaterThan(0);
    expect(r.durationMs).toBeGreaterThan(0);
    expect(r.billedDurationMs).toBe(Math.ceil(r.durationMs + r.initDurationMs!));
    expect(r.maxMemoryUsedMB).toBeGreaterThan(5);
  }
  expect(validate?.timings?.invoke).toBeGreaterThan(0);
  const predict = report?.functions.find((f) => f.name === 'Predict');
  expect(predict?.invocations?.results).toEqual([
    expect.objectContaining({ event: 'events/predict-ok.json', status: 'passed' }),
    expect.objectContaining({
      event: 'events/predict-bad.json',
      status: 'passed',
      expectedToFail: true,
      errorType: 'ValueError',
      errorMessage: 'bad row'
    })
  ]);
  // The log: one line per event with Lambda's figures.
  expect(result.stderr).toMatch(
    /event events\/Validate\.json: ok; Duration: [\d.]+ ms, Billed Duration: \d+ ms, Memory Size: 128 MB, Max Memory Used: \d+ MB, Init Duration: [\d.]+ ms/
  );
  expect(result.stderr).toContain('event events/predict-bad.json: failed as expected');
  // A variable known only once deployed is named, not invented.
  expect(result.stderr).toContain('environment variable ARN (!GetAtt');
});

test("a failing event fails the build, naming the function, the event file and Lambda's error", async () => {
  const { result, report } = await buildWith({
    'functions/validate/app.py': 'def handler(event, context):\n    return {1, 2}\n',
    'events/Validate.json': '{}'
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    'error: an event failed: function Validate, event events/Validate.json: Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON serializable'
  );
  expect(report?.functions.find((f) => f.name === 'Validate')?.invocations?.results[0]).toMatchObject({
    status: 'failed',
    errorType: 'Runtime.MarshalError'
  });
});

test('events that all passed are reused by the next build, marked cached; a changed event runs again; a failure is never kept', async () => {
  const { app, result, report } = await buildWith({
    'functions/validate/app.py': 'def handler(event, context):\n    return event["x"]\n',
    'functions/predict/app.py': 'def handler(event, context):\n    return event["y"]\n',
    'events/Validate.json': '{"x": 1}',
    'events/Predict.json': '{}'
  });
  expect(result.code).toBe(1);
  expect(report?.functions.find((f) => f.name === 'Validate')?.invocations).toMatchObject({
    status: 'ran',
    results: [{ status: 'passed' }]
  });
  const again = async () => {
    const next = await runCli(app, ['build']);
    const read = JSON.parse(await readFile(path.join(app.repo, '.lambda-layers/report.json'), 'utf8')) as Report;
    return { next, fn: (name: string) => read.functions.find((f) => f.name === name)?.invocations };
  };

  const second = await again();
  expect(second.next.stderr).toContain('events of Validate: 1 passed, cached (nothing they depend on changed)');
  expect(second.next.stderr).not.toContain('event events/Validate.json: ok');
  expect(second.fn('Validate')).toEqual({ ...report?.functions.find((f) => f.name === 'Validate')?.invocations, cached: true });
  // Predict's KeyError ran again, and failed again: a failure is not an outcome to keep.
  expect(second.next.stderr).toContain("function Predict, event events/Predict.json: KeyError: 'y'");
  expect(second.fn('Predict')?.cached).toBeUndefined();

  await writeFile(path.join(app.repo, 'events/Validate.json'), '{"x": 2}');
  const third = await again();
  expect(third.next.stderr).toContain('event events/Validate.json: ok');
  expect(third.fn('Validate')).toMatchObject({ status: 'ran', results: [{ status: 'passed' }] });
  expect(third.fn('Validate')?.cached).toBeUndefined();
});

test('no events: nothing runs, and the report says where events were looked for', async () => {
  const { result, report } = await buildWith({});
  expect(result.code).toBe(0);
  expect(report?.functions.find((f) => f.name === 'Validate')?.invocations).toEqual({
    status: 'none',
    reason: 'no events (looked for events/{Validate,validate}[-.*].json)',
    results: []
  });
});

test("without the runtime's CPython, events are skipped and the report says why, as verification does", async () => {
  // pyenv and the tool cache hidden: no CPython 3.12 is found (pyenv's shim for a version it does not select fails).
  const { result, report } = await buildWith({ 'events/Validate.json': '{}' }, undefined, {
    PYENV_ROOT: '/nonexistent',
    RUNNER_TOOL_CACHE: '/nonexistent',
    PYENV_VERSION: 'system'
  });
  expect(result.code).toBe(0);
  const validate = report?.functions.find((f) => f.name === 'Validate');
  expect(validate?.verification.status).toBe('skipped');
  expect(validate?.invocations).toEqual({
    status: 'skipped',
    reason: 'no CPython 3.12 for x86_64 on this machine (install it, or name it under pythons in the config file)',
    results: []
  });
  expect(result.stderr).toContain('warning: ');
  expect(result.stderr).toContain('function Validate: events not run: no CPython 3.12 for x86_64 on this machine');
});

test('bad event files are bad input before anything is built', async () => {
  const notJson = await buildWith({ 'events/Validate.json': '{not json' });
  expect(notJson.result.code).toBe(2);
  expect(notJson.result.stderr).toMatch(/events\/Validate\.json: the event is not JSON/);
  const unknown = await buildWith({}, '  Nope: [events/x.json]\n');
  expect(unknown.result.code).toBe(2);
  const config = path.join(unknown.app.repo, 'lambda-layers.yaml');
  const line = (await readFile(config, 'utf8')).split('\n').indexOf('  Nope: [events/x.json]') + 1;
  expect(unknown.result.stderr).toContain(
    `${config}:${line}: events: the template has no Python function "Nope" (its functions: Validate, Predict)`
  );
  const nothing = await buildWith({}, '  Validate: [events/missing-*.json]\n');
  expect(nothing.result.code).toBe(2);
  expect(nothing.result.stderr).toContain('events.Validate: "events/missing-*.json" matches no file');
});
