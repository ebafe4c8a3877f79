import { allViolations, REPORT_VERSION } from '../../src/report.js';
import { functionReport, layerReport, makeReport } from './fixtures.js';

describe('allViolations', () => {
  test('layer violations first, then function ones, in report order', () => {
    const report = makeReport({
      layers: [layerReport({ name: 'A', violations: ['layer A v1'] }), layerReport({ name: 'B' }), layerReport({ name: 'C', violations: ['layer C v1', 'layer C v2'] })],
      functions: [functionReport({ name: 'F', violations: ['function F v1'] }), functionReport({ name: 'G', violations: ['function G v1'] })]
    });
    expect(allViolations(report)).toEqual(['layer A v1', 'layer C v1', 'layer C v2', 'function F v1', 'function G v1']);
  });

  test('none when everything is within limits', () => {
    expect(allViolations(makeReport({ layers: [layerReport({ name: 'A' })], functions: [functionReport({ name: 'F' })] }))).toEqual([]);
  });
});

describe('REPORT_VERSION', () => {
  test('is 1: bump it (and the README) on an incompatible report change', () => {
    expect(REPORT_VERSION).toBe(1);
  });
});
