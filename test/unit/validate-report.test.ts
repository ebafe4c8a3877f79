import { InputError } from '../../src/shared/errors.js';
import type { Json } from '../../src/shared/json.js';
import { parseReport } from '../../src/report/report-io.js';
import { validateReport } from '../../src/report/validate-report.js';
import { functionReport, layerReport, makeReport, MiB } from './fixtures.js';

const REPORT = makeReport({
  layers: [
    layerReport({
      name: 'CoreLayer',
      // As the template writes it, and the function's own code as a package without a version: both as builds write them.
      layerName: '${AWS::StackName}-core',
      unzippedBytes: 20 * MiB,
      timings: { install: 8123.4, prune: 0, zip: 410 },
      packages: [
        { name: 'numpy', version: '2.0.0', bytes: MiB },
        { name: '(function code)', version: '', bytes: 10 }
      ]
    })
  ],
  functions: [
    functionReport({
      name: 'Predict',
      layers: ['CoreLayer', 'arn:aws:lambda:us-east-1:123456789012:layer:x:3'],
      totalUnzippedBytes: 21 * MiB,
      timings: { cacheRestore: 12.5, verify: 980 }
    })
  ],
  totalMs: 10_250
});

/** The report as JSON, with `change` applied to a deep copy. */
function hostile(change: (report: Json & { layers: Json[]; functions: Json[] }) => void): unknown {
  const copy = JSON.parse(JSON.stringify(REPORT)) as Json & { layers: Json[]; functions: Json[] };
  change(copy);
  return copy;
}

function errorFor(value: unknown): InputError {
  try {
    validateReport(value, 'downloaded/report.json', 'input report');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('validateReport', () => {
  test("a build's report passes unchanged", () => {
    expect(validateReport(JSON.parse(JSON.stringify(REPORT)), 'r.json', 'report')).toEqual(REPORT);
  });

  test('a verification reused from the cache keeps its flag', () => {
    const raw = JSON.parse(JSON.stringify(REPORT)) as { functions: Array<{ verification: Json }> };
    raw.functions[0]!.verification['cached'] = true;
    expect(validateReport(raw, 'r.json', 'report').functions[0]?.verification.cached).toBe(true);
  });

  test('the installer is kept when present (reports before it was recorded have none)', () => {
    const raw = JSON.parse(JSON.stringify(REPORT)) as Json;
    raw['installer'] = 'uv 0.13.9';
    expect(validateReport(raw, 'r.json', 'report').installer).toBe('uv 0.13.9');
    expect(validateReport(JSON.parse(JSON.stringify(REPORT)), 'r.json', 'report').installer).toBeUndefined();
  });

  test('the interpreter that wrote the bytecode and its magic number are kept', () => {
    const raw = JSON.parse(JSON.stringify(REPORT)) as { layers: Array<{ slimming: { bytecode: Json } }> };
    Object.assign(raw.layers[0]!.slimming.bytecode, { interpreter: '/usr/bin/python3.12 (x86_64)', magic: 'cb0d0d0a' });
    expect(validateReport(raw, 'r.json', 'report').layers[0]?.slimming.bytecode).toMatchObject({
      interpreter: '/usr/bin/python3.12 (x86_64)',
      magic: 'cb0d0d0a'
    });
  });

  test('the verification level and the ELF checks are kept', () => {
    const raw = JSON.parse(JSON.stringify(REPORT)) as { functions: Array<{ verification: Json }> };
    Object.assign(raw.functions[0]!.verification, { level: 'elf-only', elf: { files: 2, problems: [] } });
    expect(validateReport(raw, 'r.json', 'report').functions[0]?.verification).toMatchObject({
      level: 'elf-only',
      elf: { files: 2, problems: [] }
    });
  });

  test.each<[string, (r: Json & { layers: Json[]; functions: Json[] }) => void, string]>([
    ['an installer on two lines', (r) => ((r as Json)['installer'] = 'uv 1\n::error::x'), 'installer: expected one line of text'],
    [
      'an unknown verification level',
      (r) => ((r.functions[0]!['verification'] as Json)['level'] = 'trust-me'),
      'functions[0].verification.level: expected one of target-cpu, elf-only, none, got "trust-me"'
    ],
    [
      'an ELF problem with a control character',
      (r) => ((r.functions[0]!['verification'] as Json)['elf'] = { files: 1, problems: ['x.so\u001b[31m'] }),
      'functions[0].verification.elf.problems[0]: expected text without control characters'
    ],
    [
      'a magic number that is not one',
      (r) => (((r.layers[0]!['slimming'] as Json)['bytecode'] as Json)['magic'] = '<b>'),
      'layers[0].slimming.bytecode.magic: expected 8 lowercase hex digits, got "<b>"'
    ],
    [
      'an interpreter over two lines',
      (r) => (((r.layers[0]!['slimming'] as Json)['bytecode'] as Json)['interpreter'] = 'python\n::error::x'),
      'layers[0].slimming.bytecode.interpreter: expected one line of text'
    ],
    ['layers not a list', (r) => ((r as Json)['layers'] = { CoreLayer: {} }), 'layers: expected a list'],
    ['a layer that is null', (r) => (r.layers[0] = null as unknown as Json), 'layers[0]: expected an object'],
    [
      'a size as text',
      (r) => (r.layers[0]!['unzippedBytes'] = '20971520'),
      'layers[0].unzippedBytes: expected a whole number of 0 or more, got "20971520"'
    ],
    [
      'a negative size',
      (r) => (r.functions[0]!['zippedBytes'] = -1),
      'functions[0].zippedBytes: expected a whole number of 0 or more, got -1'
    ],
    ['a huge size', (r) => (r.functions[0]!['totalUnzippedBytes'] = 2 ** 60), 'functions[0].totalUnzippedBytes: expected a whole number'],
    ['a fractional size', (r) => (r.layers[0]!['fileCount'] = 1.5), 'layers[0].fileCount: expected a whole number'],
    [
      'a missing size',
      (r) => delete r.functions[0]!['codeUnzippedBytes'],
      'functions[0].codeUnzippedBytes: expected a whole number of 0 or more, got undefined'
    ],
    [
      'a total below the code',
      (r) => (r.functions[0]!['codeUnzippedBytes'] = 22 * MiB),
      'functions[0].totalUnzippedBytes: less than codeUnzippedBytes'
    ],
    [
      'a name that is a workflow command',
      (r) => (r.layers[0]!['name'] = '::error title=x::forged'),
      'layers[0].name: expected a logical ID (letters and digits), got "::error title=x::forged"'
    ],
    [
      'a name over two lines',
      (r) => (r.functions[0]!['name'] = 'Predict\n::stop-commands::x'),
      'functions[0].name: expected a logical ID (letters and digits), got "Predict\\n::stop-commands::x"'
    ],
    ['a name with markdown and HTML', (r) => (r.layers[0]!['name'] = '<img src=x>[a](http://x)'), 'layers[0].name: expected a logical ID'],
    ['a name listed twice', (r) => r.layers.push({ ...r.layers[0]! }), 'layers[1].name: CoreLayer is listed twice'],
    [
      'a package name with a line break',
      (r) => ((r.layers[0]!['packages'] as Json[])[0]!['name'] = 'numpy\n::error::x'),
      'layers[0].packages[0].name: expected one line of text'
    ],
    [
      'a layer reference that is not text',
      (r) => (r.functions[0]!['layers'] = [1, 2]),
      'functions[0].layers[0]: expected one line of text, got 1'
    ],
    [
      'a cached flag that is text',
      (r) => ((r.functions[0]!['verification'] as Json)['cached'] = 'yes'),
      'functions[0].verification.cached: expected true or false'
    ],
    ['a verification that is null', (r) => (r.functions[0]!['verification'] = null), 'functions[0].verification: expected an object'],
    [
      'an unknown verification status',
      (r) => ((r.functions[0]!['verification'] as Json)['status'] = 'ok'),
      'functions[0].verification.status: expected one of passed, failed, skipped, got "ok"'
    ],
    [
      'slimming without its strip',
      (r) => delete (r.layers[0]!['slimming'] as Json)['strip'],
      'layers[0].slimming.strip: expected an object'
    ],
    ['a SHA-256 that is not hex', (r) => (r.layers[0]!['sha256'] = '`'.repeat(64)), 'layers[0].sha256: expected 64 lowercase hex digits'],
    ['a tool name with markdown', (r) => (r['tool'] = { name: '[x](http://evil)', version: '1' }), 'tool.name: expected a package name'],
    [
      'a tool version with a code span',
      (r) => (r['tool'] = { name: 'lambda-layers', version: '1` <b>' }),
      'tool.version: expected a version'
    ],
    ['a zero limit', (r) => ((r['limits'] as Json)['unzippedBytes'] = 0), 'limits.unzippedBytes: expected a whole number above 0'],
    ['limits missing', (r) => delete r['limits'], 'limits: expected an object'],
    ['a verdict that is text', (r) => (r['withinLimits'] = 'yes'), 'withinLimits: expected true or false'],
    ['a skipped entry over two lines', (r) => (r['skipped'] = ['Docs: x\n::error::y']), 'skipped[0]: expected one line of text'],
    ['another version', (r) => (r['version'] = 2), 'report version 2, this tool reads version 1'],
    ['timings that are a list', (r) => (r.layers[0]!['timings'] = [1, 2]), 'layers[0].timings: expected an object'],
    [
      'a phase nobody runs',
      (r) => (r.functions[0]!['timings'] = { '<b>x</b>': 1 }),
      'functions[0].timings.<b>x</b>: not a phase (expected one of cacheRestore, resolve, install'
    ],
    [
      'a negative time',
      (r) => ((r.layers[0]!['timings'] as Json)['zip'] = -5),
      'layers[0].timings.zip: expected milliseconds (a number of 0 or more), got -5'
    ],
    [
      'a time as text',
      (r) => ((r.functions[0]!['timings'] as Json)['verify'] = '1s'),
      'functions[0].timings.verify: expected milliseconds'
    ],
    [
      'an infinite time',
      (r) => ((r.functions[0]!['timings'] as Json)['verify'] = Number.POSITIVE_INFINITY),
      'functions[0].timings.verify: expected milliseconds'
    ],
    ['a total that is not a number', (r) => (r['totalMs'] = null), 'totalMs: expected milliseconds (a number of 0 or more), got null']
  ])('%s is bad input naming the file and the field', (_name, change, message) => {
    const error = errorFor(hostile(change));
    expect(error.message).toContain(`downloaded/report.json: input report: ${message}`);
    expect(error.location?.file).toBe('downloaded/report.json');
  });

  test('text that is not JSON, or JSON that is not an object, is bad input', () => {
    expect(() => parseReport('{', 'r.json')).toThrow(/^r.json: report: not a JSON size report/);
    expect(errorFor(null).message).toBe('downloaded/report.json: input report: expected an object');
    expect(errorFor([]).message).toBe('downloaded/report.json: input report: expected an object');
  });

  test('the verdicts are recomputed from sizes and limits, never copied', () => {
    const lying = hostile((r) => {
      r.layers[0]!['unzippedBytes'] = 300 * MiB;
      r.layers[0]!['violations'] = [];
      r.functions[0]!['totalUnzippedBytes'] = 260 * MiB;
      r.functions[0]!['zippedBytes'] = 60 * MiB;
      r.functions[0]!['directUpload'] = true;
      r['withinLimits'] = true;
      r['verified'] = true;
      (r.functions[0]!['verification'] as Json)['status'] = 'failed';
    });
    const report = validateReport(lying, 'r.json', 'report');
    expect(report.layers[0]!.violations).toEqual([expect.stringMatching(/^layer CoreLayer alone is 300.0 MiB/)]);
    expect(report.functions[0]).toMatchObject({ withinLimits: false, directUpload: false });
    expect(report).toMatchObject({ withinLimits: false, verified: false });

    const modest = hostile((r) => {
      r.layers[0]!['violations'] = ['over'];
      r.functions[0]!['withinLimits'] = false;
      r['withinLimits'] = false;
    });
    expect(validateReport(modest, 'r.json', 'report')).toMatchObject({ withinLimits: true, layers: [{ violations: [] }] });
  });
});
