import { mergeReports, type ReportPart } from '../../src/report/merge.js';
import type { Report } from '../../src/report/report.js';
import { functionReport, inputErrorFrom, layerReport, makeReport, MiB } from './fixtures.js';

const CORE = layerReport({ name: 'Core', buildKey: 'a'.repeat(32), sha256: '1'.repeat(64), unzippedBytes: 50 * MiB });
const ML = layerReport({ name: 'Ml', buildKey: 'b'.repeat(32), sha256: '2'.repeat(64), unzippedBytes: 120 * MiB });
const VALIDATE = functionReport({ name: 'Validate', layers: ['Core'], totalUnzippedBytes: 51 * MiB });
const PREDICT = functionReport({ name: 'Predict', layers: ['Core', 'Ml'], totalUnzippedBytes: 171 * MiB });

const part = (file: string, report: Partial<Report>): ReportPart => ({ file, report: makeReport(report) });
const CORE_JOB = part('core/report.json', {
  layers: [CORE],
  functions: [VALIDATE],
  skipped: [
    'Predict: checked by the job that builds its last layer, Ml (this job: layers Core)',
    'Docs: its code is not a local folder, so it is not packaged'
  ]
});
const ML_JOB = part('ml/report.json', {
  layers: [ML],
  functions: [VALIDATE, PREDICT],
  skipped: ['Docs: its code is not a local folder, so it is not packaged']
});

describe('mergeReports', () => {
  test("every job's layers, functions once each, skipped only what no job checked", () => {
    const merged = mergeReports([CORE_JOB, ML_JOB]);
    expect(merged.layers.map((l) => l.name)).toEqual(['Core', 'Ml']);
    expect(merged.functions.map((f) => f.name)).toEqual(['Validate', 'Predict']);
    expect(merged.skipped).toEqual(['Docs: its code is not a local folder, so it is not packaged']);
    expect(merged.withinLimits).toBe(true);
    expect(merged.verified).toBe(true);
    expect(merged.template).toBe('template.yaml');
  });

  test('a function no job could check stays skipped with the reason', () => {
    expect(mergeReports([CORE_JOB]).skipped).toContain(
      'Predict: checked by the job that builds its last layer, Ml (this job: layers Core)'
    );
  });

  test.each([
    ['a layer over the limit', [part('a', { layers: [{ ...CORE, unzippedBytes: 251 * MiB }] })], { withinLimits: false, verified: true }],
    [
      'a function over the limit',
      [part('a', { functions: [{ ...PREDICT, totalUnzippedBytes: 251 * MiB }] })],
      { withinLimits: false, verified: true }
    ],
    [
      'a function with more layers than Lambda allows',
      [part('a', { functions: [{ ...PREDICT, layers: ['A', 'B', 'C', 'D', 'E', 'F'] }] })],
      { withinLimits: false, verified: true }
    ],
    [
      'a function that failed verification',
      [part('a', { functions: [{ ...VALIDATE, verification: { status: 'failed', modules: 1, failures: [] } }] })],
      { withinLimits: true, verified: false }
    ],
    // Verdicts are measured again from sizes and limits, never copied from the parts.
    [
      'parts that claim to be within limits while their sizes are not',
      [
        part('a', { withinLimits: true, layers: [{ ...ML, unzippedBytes: 300 * MiB, violations: [] }] }),
        part('b', { withinLimits: true, functions: [{ ...PREDICT, totalUnzippedBytes: 300 * MiB, withinLimits: true }] })
      ],
      { withinLimits: false, verified: true }
    ],
    [
      'parts whose flags claim violations their sizes do not have',
      [part('a', { withinLimits: false, layers: [{ ...ML, violations: ['over'] }], functions: [{ ...PREDICT, withinLimits: false }] })],
      { withinLimits: true, verified: true }
    ]
  ])('verdicts over the merged entries: %s', (_name, parts, expected) => {
    const merged = mergeReports(parts);
    expect({ withinLimits: merged.withinLimits, verified: merged.verified }).toEqual(expected);
  });

  test.each([
    [
      'a layer built twice with different keys',
      [CORE_JOB, part('other.json', { layers: [{ ...CORE, buildKey: 'c'.repeat(32) }] })],
      /^layer Core differs between core\/report.json \(build a{32}, zip 1{12}\) and other.json \(build c{32}, zip 1{12}\)/
    ],
    [
      'a function with different zips',
      [ML_JOB, part('x.json', { functions: [{ ...PREDICT, sha256: '9'.repeat(64) }] })],
      /^function Predict differs between ml\/report.json .* and x.json/
    ],
    [
      'reports of different templates',
      [CORE_JOB, part('b.json', { template: 'other/template.yaml' })],
      /^core\/report.json and b.json have different templates: "template.yaml" and "other\/template.yaml"/
    ],
    [
      'different limits',
      [CORE_JOB, part('b.json', { limits: { ...CORE_JOB.report.limits, unzippedBytes: 1 } })],
      /^core\/report.json and b.json have different limits/
    ],
    [
      'different tool versions',
      [CORE_JOB, part('b.json', { tool: { name: 'lambda-layers', version: '9.9.9' } })],
      /^core\/report.json and b.json have different tool versions/
    ],
    ['nothing to merge', [], /^merge: no report files$/]
  ])('%s is an input error naming both files', (_name, parts, message) => {
    expect(inputErrorFrom(() => mergeReports(parts)).message).toMatch(message);
  });

  test('the same entry from two jobs is one entry, whichever job came first', () => {
    const a = mergeReports([CORE_JOB, ML_JOB]);
    const b = mergeReports([ML_JOB, CORE_JOB]);
    expect(b.functions.map((f) => f.name).sort()).toEqual(a.functions.map((f) => f.name).sort());
    expect(b.layers.map((l) => l.name)).toEqual(['Ml', 'Core']);
  });
});
