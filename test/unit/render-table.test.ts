import { renderTable } from '../../src/report/render-table.js';
import type { FunctionReport } from '../../src/report/report.js';
import { functionReport, KiB, layerReport, makeReport, MiB } from './fixtures.js';

const EXT = 'arn:aws:lambda:us-east-1:123456789012:layer:extra:1';

const REPORT = makeReport({
  layers: [
    layerReport({
      name: 'DepsLayer',
      unzippedBytes: 10 * MiB,
      zippedBytes: 3 * MiB,
      fileCount: 1234,
      cacheHit: true,
      packages: [
        { name: 'numpy', version: '1.26.4', bytes: 6 * MiB },
        { name: 'requests', version: '2.31.0', bytes: 2 * MiB },
        { name: 'urllib3', version: '2.2.1', bytes: 1 * MiB },
        { name: 'idna', version: '3.6', bytes: 512 * KiB }
      ]
    }),
    layerReport({
      name: 'MlLayer',
      unzippedBytes: 200 * MiB,
      zippedBytes: 60 * MiB,
      fileCount: 20000,
      cacheHit: false,
      packages: [{ name: 'torch', version: '2.1.0', bytes: 180 * MiB }]
    })
  ],
  functions: [
    functionReport({
      name: 'Small',
      layers: ['DepsLayer'],
      codeUnzippedBytes: 2 * KiB,
      totalUnzippedBytes: 10 * MiB + 2 * KiB,
      zippedBytes: 3 * MiB
    }),
    functionReport({
      name: 'Big',
      layers: ['DepsLayer', 'MlLayer', EXT],
      codeUnzippedBytes: 45 * MiB,
      totalUnzippedBytes: 262_144_001,
      zippedBytes: 60 * MiB,
      directUpload: false,
      unknownLayers: [EXT],
      withinLimits: false,
      violations: ['function Big is over']
    }),
    functionReport({
      name: 'Unsure',
      layers: ['parameter Shared'],
      codeUnzippedBytes: 1024,
      totalUnzippedBytes: 1024,
      zippedBytes: 500,
      unknownLayers: ['parameter Shared']
    })
  ],
  withinLimits: false,
  skipped: ['Legacy: its content is not a local folder, so it is not built', 'Web: runtime nodejs22.x is not Python']
});

/** The cells of the table row whose first cell is `first` (columns are two or more spaces apart). */
function row(text: string, first: string): string[] {
  const line = text.split('\n').find((l) => l.split(/\s{2,}/)[0] === first);
  if (line === undefined) throw new Error(`no row ${first} in\n${text}`);
  return line.trim().split(/\s{2,}/);
}

describe('renderTable', () => {
  const text = renderTable(REPORT);

  test('layer rows: sizes, file count, cached/built and the three largest packages', () => {
    expect(row(text, 'DepsLayer')).toEqual([
      'DepsLayer',
      '10.0 MiB',
      '3.0 MiB',
      '1,234',
      'cached',
      'numpy 6.0 MiB, requests 2.0 MiB, urllib3 1.0 MiB'
    ]);
    expect(row(text, 'MlLayer')).toEqual(['MlLayer', '200.0 MiB', '60.0 MiB', '20,000', 'built', 'torch 180.0 MiB']);
  });

  test('function rows: layer count, code, total, % of limit, zipped, status', () => {
    expect(row(text, 'Small')).toEqual(['Small', '1', '2.0 KiB', '10.0 MiB', '4.0%', '3.0 MiB', 'ok', 'yes']);
  });

  test('a function over the limit is OVER; an unknown layer makes the total a lower bound; a big zip goes via S3', () => {
    expect(row(text, 'Big')).toEqual(['Big', '3', '45.0 MiB', '>= 250.0 MiB', '100.0%', '60.0 MiB (via S3)', 'OVER', 'yes']);
  });

  test('within the limit but with an unknown layer is ok?', () => {
    expect(row(text, 'Unsure')).toEqual(['Unsure', '1', '1.0 KiB', '>= 1.0 KiB', '0.0%', '500 B', 'ok?', 'yes']);
  });

  test('headers and the limit line', () => {
    const all = text.split('\n');
    expect(all[0]).toBe('Layers');
    expect(all[1]?.split(/\s{2,}/)).toEqual(['layer', 'unzipped', 'zipped', 'files', 'build', 'largest packages']);
    expect(all).toContain('Functions (limit: 250.0 MiB unzipped, code plus all layers)');
    const header = all.find((l) => l.startsWith('function'));
    expect(header?.trim().split(/\s{2,}/)).toEqual(['function', 'layers', 'code', 'total', '% limit', 'zipped', 'status', 'verified']);
  });

  test.each<[string, Partial<FunctionReport['verification']>, string]>([
    ['imports ran on the target CPU', { status: 'passed', level: 'target-cpu' }, 'target CPU'],
    ['no interpreter runs the CPU here: ELF checks only', { status: 'skipped', level: 'elf-only' }, 'ELF only'],
    ['nothing could be checked', { status: 'skipped', level: 'none' }, 'no'],
    ['imports ran, but external layers may serve some', { status: 'skipped', level: 'target-cpu' }, 'target CPU?'],
    ['a check failed', { status: 'failed', level: 'elf-only' }, 'FAILED']
  ])('verified column: %s', (_what, verification, cell) => {
    const fn = functionReport({ name: 'Fn', layers: [], codeUnzippedBytes: 1, totalUnzippedBytes: 1, zippedBytes: 1 });
    const text = renderTable(makeReport({ functions: [{ ...fn, verification: { ...fn.verification, ...verification } }] }));
    expect(row(text, 'Fn').at(-1)).toBe(cell);
  });

  test('notes for unknown external layers and skipped resources come last', () => {
    expect(text.split('\n').slice(-5)).toEqual([
      `  Big: size unknown for ${EXT} (set it in the config file)`,
      '  Unsure: size unknown for parameter Shared (set it in the config file)',
      '2 skipped (not built here):',
      '  skipped Legacy: its content is not a local folder, so it is not built',
      '  skipped Web: runtime nodejs22.x is not Python'
    ]);
  });

  test('without skipped resources there is no skipped line', () => {
    expect(renderTable(makeReport({ skipped: [] }))).not.toMatch(/skipped/);
  });

  test('columns are aligned: numbers to the right, names to the left; no trailing spaces', () => {
    const small = makeReport({
      layers: [layerReport({ name: 'L', unzippedBytes: 2048, zippedBytes: 1000, fileCount: 3, cacheHit: false })],
      functions: [
        functionReport({ name: 'LongFunctionName', layers: ['L'], codeUnzippedBytes: 10, totalUnzippedBytes: 2058, zippedBytes: 1500 })
      ]
    });
    expect(renderTable(small)).toBe(
      [
        'Layers',
        'layer  unzipped  zipped  files  build  largest packages',
        '-----  --------  ------  -----  -----  ----------------',
        'L       2.0 KiB  1000 B      3  built',
        '',
        'Functions (limit: 250.0 MiB unzipped, code plus all layers)',
        'function          layers  code    total  % limit   zipped  status  verified',
        '----------------  ------  ----  -------  -------  -------  ------  --------',
        'LongFunctionName       1  10 B  2.0 KiB     0.0%  1.5 KiB  ok      yes'
      ].join('\n')
    );
  });

  test('a reused verification and reused events say so', () => {
    const result = {
      event: 'events/a.json',
      status: 'passed' as const,
      initDurationMs: 300,
      durationMs: 5,
      billedDurationMs: 305,
      memorySizeMB: 128,
      maxMemoryUsedMB: 40
    };
    const fn = (name: string, cached: boolean) =>
      functionReport({
        name,
        verification: { status: 'passed', modules: 3, failures: [], level: 'target-cpu', ...(cached && { cached }) },
        invocations: { status: 'ran', results: [result], ...(cached && { cached }) },
        memorySizeMB: 128
      });
    const text = renderTable(makeReport({ functions: [fn('Reused', true), fn('Fresh', false)] }));
    expect(row(text, 'Reused').at(-1)).toBe('target CPU (cached)');
    expect(row(text, 'Fresh').at(-1)).toBe('target CPU');
    const runs = text.slice(text.indexOf('Cold start and memory'));
    expect(row(runs, 'Reused').slice(0, 3)).toEqual(['Reused', '1 (cached)', '300 ms']);
    expect(row(runs, 'Fresh').slice(0, 3)).toEqual(['Fresh', '1', '300 ms']);
  });

  test('an empty report still renders both tables', () => {
    expect(renderTable(makeReport())).toBe(
      [
        'Layers',
        'layer  unzipped  zipped  files  build  largest packages',
        '-----  --------  ------  -----  -----  ----------------',
        '',
        'Functions (limit: 250.0 MiB unzipped, code plus all layers)',
        'function  layers  code  total  % limit  zipped  status  verified',
        '--------  ------  ----  -----  -------  ------  ------  --------'
      ].join('\n')
    );
  });

  test('a build with timings ends with where its time went: a column per phase that ran, in build order, blank where skipped', () => {
    const timed = makeReport({
      layers: [
        layerReport({ name: 'Core', timings: { cacheSave: 600, install: 18_240, zip: 870, prune: 120, cacheRestore: 2 } }),
        layerReport({ name: 'Ml', cacheHit: true, timings: { cacheRestore: 310 } })
      ],
      functions: [functionReport({ name: 'Predict', timings: { verify: 1_460, zip: 15 } })],
      totalMs: 22_400
    });
    expect(renderTable(timed).split('\n').slice(-7)).toEqual([
      'Time per phase',
      'seconds  restore  install  prune  zip  verify  save  total',
      '-------  -------  -------  -----  ---  ------  ----  -----',
      'Core         0.0     18.2    0.1  0.9           0.6   19.8',
      'Ml           0.3                                       0.3',
      'Predict                           0.0     1.5          1.5',
      '22.4 s in all, 0.8 s of it outside these phases (finding pip and the Pythons, reading the template)'
    ]);
  });

  test('phases that ran side by side (summing to more than the whole) give the total alone; no timings, no time table', () => {
    const overlapping = makeReport({ layers: [layerReport({ name: 'Core', timings: { install: 5_000 } })], totalMs: 4_000 });
    expect(renderTable(overlapping).split('\n').at(-1)).toBe('4.0 s in all');
    expect(renderTable(REPORT)).not.toContain('Time per phase');
  });
});
