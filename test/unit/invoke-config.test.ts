/** What the build needs to invoke a function: its events (config file or convention), its MemorySize, Timeout and environment. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, parseConfig, type FileConfig } from '../../src/settings/config-file.js';
import { InputError } from '../../src/shared/errors.js';
import { eventsFor, isConventionalEvent } from '../../src/invoke/events.js';
import { validateReport } from '../../src/report/validate-report.js';
import type { InvocationResult } from '../../src/report/report.js';
import { discover, functionReport, inputErrorFrom, lines, makeReport } from './fixtures.js';

const FILE = '/repo/lambda-layers.yaml';

describe('events in the config file', () => {
  test('paths or globs per function; an entry may be expected to fail', () => {
    const config = parseConfig(
      parse('events:\n  Fn:\n    - events/fn-*.json\n    - path: events/bad.json\n      expect: error\n  Other: []\n'),
      FILE
    );
    expect(config.events).toEqual({
      Fn: [
        { pattern: 'events/fn-*.json', expectError: false, where: { file: FILE } },
        { pattern: 'events/bad.json', expectError: true, where: { file: FILE } }
      ],
      Other: []
    });
    expect(parseConfig(parse('pipArgs: []'), FILE).events).toBeUndefined();
  });

  test.each([
    ['events: [a.json]', 'events must map function logical IDs'],
    ['events:\n  Fn: a.json', 'events.Fn: events must map'],
    ['events:\n  Fn: [{file: a.json}]', 'events.Fn[0]: events must map'],
    ['events:\n  Fn: [{path: a.json, expect: crash}]', 'events.Fn[0].expect must be error or success, got "crash"'],
    ['events:\n  Fn: [""]', 'events.Fn[0]: events must map']
  ])('%j is bad input naming the key', (yaml, message) => {
    const error = inputErrorFrom(() => parseConfig(parse(yaml), FILE));
    expect(error.message).toContain(message);
    expect(error.location).toEqual({ file: FILE });
  });
});

const EVENTS_SHAPE =
  'events must map function logical IDs to lists of event files (paths or globs), each a string or {path: <glob>, expect: error}';

describe('events in a config file: each error names the line of its key or entry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-config-events-'));
    await mkdir(path.join(dir, 'events'));
    await writeFile(path.join(dir, 'events/a.json'), '{}');
    // A name the report could not hold on one line.
    await mkdir(path.join(dir, 'odd'));
    await writeFile(path.join(dir, 'odd/two\nlines.json'), '{}');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const configured = async (yaml: string): Promise<{ file: string; error: unknown }> => {
    const file = path.join(dir, 'lambda-layers.yaml');
    await writeFile(file, yaml);
    const found = (config: FileConfig) => eventsFor({ name: 'Fn', codeDir: path.join(dir, 'fn') }, config.events, dir, dir, file);
    return {
      file,
      error: await loadConfig(file)
        .then(found)
        .then(
          () => undefined,
          (e: unknown) => e
        )
    };
  };

  test.each([
    ['events as a list', 'pipArgs: []\nevents: [a.json]\n', 2, EVENTS_SHAPE],
    ["a function's events not a list", 'events:\n  Other: []\n  Fn: events/a.json\n', 3, `events.Fn: ${EVENTS_SHAPE}`],
    ['an entry of another shape', 'events:\n  Fn:\n    - events/a.json\n    - {file: a.json}\n', 4, `events.Fn[1]: ${EVENTS_SHAPE}`],
    ['an empty path', 'events:\n  Fn:\n    - ""\n', 3, `events.Fn[0]: ${EVENTS_SHAPE}`],
    [
      'an unknown expectation',
      'events:\n  Fn:\n    - path: events/a.json\n      expect: crash\n',
      4,
      'events.Fn[0].expect must be error or success, got "crash"'
    ],
    [
      'an unknown expectation in a flow list',
      'events:\n  Fn: [events/a.json,\n    {path: events/a.json, expect: crash}]\n',
      3,
      'events.Fn[1].expect must be error or success, got "crash"'
    ],
    [
      'a glob that matches no file',
      'events:\n  Fn:\n    - events/a.json\n    - none/*.json\n',
      4,
      'events.Fn: "none/*.json" matches no file'
    ],
    [
      'a file whose name has a line break',
      'events:\n  Fn:\n    - events/a.json\n    - path: odd/*.json\n',
      4,
      'event file "odd/two\\nlines.json": a name with control characters'
    ]
  ])('%s', async (_name, yaml, line, message) => {
    const { file, error } = await configured(yaml);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:${line}: ${message}`);
    expect((error as InputError).location).toEqual({ file, line });
  });

  test('entries that are fine give the events', async () => {
    expect(await configured('events:\n  Fn:\n    - events/a.json\n')).toMatchObject({ error: undefined });
  });
});

test.each<[string, boolean]>([
  ['Fn.json', true],
  ['Fn-big.json', true],
  ['Fn.bad.json', true],
  ['fn_code.json', true],
  ['fn_code-2.json', true],
  ['Fnx.json', false],
  ['Fn.txt', false],
  ['fn_code_extra.json', false],
  ['other.json', false]
])('the events/ convention: %s is an event of Fn (code folder fn_code): %s', (name, expected) => {
  expect(isConventionalEvent(name, ['Fn', 'fn_code'])).toBe(expected);
});

describe('eventsFor', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-events-'));
    await mkdir(path.join(repo, 'app/events'), { recursive: true });
    await mkdir(path.join(repo, 'more'), { recursive: true });
    for (const name of ['app/events/fn_code.json', 'app/events/Fn-2.json', 'app/events/other.json', 'more/a.json', 'more/b.json']) {
      await writeFile(path.join(repo, name), '{}');
    }
    await writeFile(path.join(repo, 'more/bad.txt'), 'not json');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));
  const fn = () => ({ name: 'Fn', codeDir: path.join(repo, 'app/functions/fn_code') });

  test('by convention: beside the template, by logical ID or code folder, sorted; labels relative to the working directory', async () => {
    const found = await eventsFor(fn(), undefined, path.join(repo, 'app'), repo, undefined);
    expect(found.events.map((e) => [e.label, e.expectError, e.body.toString()])).toEqual([
      ['app/events/Fn-2.json', false, '{}'],
      ['app/events/fn_code.json', false, '{}']
    ]);
    expect(found.lookedIn).toBe('app/events/{Fn,fn_code}[-.*].json');
  });

  test('from the config file: globs relative to the working directory; the convention is then not used', async () => {
    const found = await eventsFor(fn(), { Fn: [{ pattern: 'more/*.json', expectError: true }] }, path.join(repo, 'app'), repo, FILE);
    expect(found.events.map((e) => [e.label, e.expectError])).toEqual([
      ['more/a.json', true],
      ['more/b.json', true]
    ]);
    expect((await eventsFor(fn(), { Fn: [] }, path.join(repo, 'app'), repo, FILE)).events).toEqual([]);
  });

  test('a pattern matching nothing, or an event that is not JSON, is bad input', async () => {
    await expect(eventsFor(fn(), { Fn: [{ pattern: 'none/*.json', expectError: false }] }, repo, repo, FILE)).rejects.toThrow(
      `${FILE}: events.Fn: "none/*.json" matches no file`
    );
    await expect(eventsFor(fn(), { Fn: [{ pattern: 'more/bad.txt', expectError: false }] }, repo, repo, FILE)).rejects.toThrow(
      `${path.join(repo, 'more/bad.txt')}: the event is not JSON`
    );
  });
});

describe('the function configuration from the template', () => {
  const template = (properties: string[], globals: string[] = []) =>
    lines(
      'Parameters:',
      '  Stage: {Type: String, Default: dev}',
      '  Unset: {Type: String}',
      ...(globals.length ? ['Globals:', '  Function:', ...globals] : []),
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: functions/fn/',
      '      Handler: app.handler',
      '      Runtime: python3.12',
      ...properties
    );

  test('MemorySize, Timeout (Globals too) and the variables that resolve; the others named', () => {
    const app = discover(
      template(
        [
          '      MemorySize: 512',
          '      Environment:',
          '        Variables:',
          '          STAGE: !Ref Stage',
          '          NUM: 3',
          '          BUCKET: !Ref Unset',
          '          ARN: !GetAtt Fn.Arn'
        ],
        ['    Timeout: 30', '    Environment:', '      Variables:', '        GLOBAL: g']
      )
    );
    const [fn] = app.functions;
    expect(fn).toMatchObject({ memorySize: 512, timeout: 30 });
    expect(fn?.environment?.variables).toEqual({ GLOBAL: 'g', STAGE: 'dev', NUM: '3' });
    expect(fn?.environment?.unresolved).toEqual([
      expect.stringMatching(/^BUCKET \(!Ref Unset: .*--parameter-overrides Unset=<value>/),
      'ARN (!GetAtt ["Fn","Arn"]: known only once deployed)'
    ]);
  });

  test("absent: Lambda's defaults apply later (nothing set here)", () => {
    const [fn] = discover(template([])).functions;
    expect(fn?.memorySize).toBeUndefined();
    expect(fn?.timeout).toBeUndefined();
    expect(fn?.environment).toBeUndefined();
  });

  test.each([
    ['      MemorySize: 64', 'MemorySize must be a whole number from 128 to 10240, got 64'],
    ['      Timeout: 901', 'Timeout must be a whole number from 1 to 900, got 901'],
    ['      Timeout: soon', 'Timeout must be a whole number from 1 to 900, got "soon"']
  ])('%s is bad input', (line, message) => {
    expect(inputErrorFrom(() => discover(template([line]))).message).toContain(message);
  });
});

describe('invocations in a report read back', () => {
  const result: InvocationResult = {
    event: 'events/a.json',
    status: 'failed',
    expectedToFail: false,
    initDurationMs: 120.5,
    durationMs: 3.25,
    billedDurationMs: 124,
    memorySizeMB: 128,
    maxMemoryUsedMB: 40,
    errorType: 'ValueError',
    errorMessage: 'bad\nrow'
  };
  const report = (invocations: unknown) =>
    JSON.parse(JSON.stringify(makeReport({ functions: [{ ...functionReport({ name: 'Fn' }), invocations } as never] }))) as unknown;

  test('pass unchanged', () => {
    const invocations = { status: 'ran', results: [result] };
    expect(validateReport(report(invocations), 'r.json', 'report').functions[0]?.invocations).toEqual(invocations);
    const none = { status: 'none', reason: 'no events', results: [] };
    expect(validateReport(report(none), 'r.json', 'report').functions[0]?.invocations).toEqual(none);
  });

  test.each<[string, unknown, string]>([
    [
      'an unknown status',
      { status: 'maybe', results: [] },
      'functions[0].invocations.status: expected one of ran, none, skipped, got "maybe"'
    ],
    ['results not a list', { status: 'ran', results: {} }, 'functions[0].invocations.results: expected a list'],
    [
      'a result status',
      { status: 'ran', results: [{ ...result, status: 'ok' }] },
      'results[0].status: expected one of passed, failed, got "ok"'
    ],
    [
      'a negative duration',
      { status: 'ran', results: [{ ...result, durationMs: -1 }] },
      'results[0].durationMs: expected a number of 0 or more, got -1'
    ],
    [
      'an event name on two lines',
      { status: 'ran', results: [{ ...result, event: 'a\nb' }] },
      'results[0].event: expected one line of text'
    ],
    [
      'memory as text',
      { status: 'ran', results: [{ ...result, maxMemoryUsedMB: '40' }] },
      'results[0].maxMemoryUsedMB: expected a number of 0 or more'
    ],
    [
      'a control character in the error',
      { status: 'ran', results: [{ ...result, errorMessage: 'a\u001b[31m' }] },
      'results[0].errorMessage: expected text without control characters'
    ]
  ])('%s is refused, naming the field', (_, invocations, message) => {
    expect(() => validateReport(report(invocations), 'r.json', 'report')).toThrow(message);
  });
});
