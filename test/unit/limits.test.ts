import { checkFunction, checkLayer, LAMBDA_LIMITS, largestPackages, type Component, type PackageSize } from '../../src/lambda/limits.js';
import { MiB } from './fixtures.js';

const LIMIT = 262_144_000;
const ZIP_LIMIT = 52_428_800;

const pkg = (name: string, bytes: number): PackageSize => ({ name, version: '1.0', bytes });

const LAYER_PACKAGES = [
  pkg('six', 1024),
  pkg('numpy', 60 * MiB),
  pkg('idna', 2 * MiB),
  pkg('pyarrow', 40 * MiB),
  pkg('scipy', 50 * MiB),
  pkg('pandas', 40 * MiB)
];

function components(codeBytes: number, layerBytes: number): Component[] {
  return [
    { label: 'code', unzippedBytes: codeBytes, packages: [pkg('app-lib', 3 * MiB)] },
    { label: 'layer Deps', unzippedBytes: layerBytes, packages: LAYER_PACKAGES }
  ];
}

describe('LAMBDA_LIMITS', () => {
  test('are the documented Lambda quotas', () => {
    expect(LAMBDA_LIMITS).toEqual({ unzippedBytes: 262_144_000, directUploadZippedBytes: 52_428_800, maxLayers: 5 });
  });
});

describe('checkFunction', () => {
  test('exactly at 262,144,000 bytes is within the limit', () => {
    const check = checkFunction('Fn', components(10 * MiB, LIMIT - 10 * MiB), 1000, 1, LAMBDA_LIMITS);
    expect(check).toEqual({ totalUnzippedBytes: LIMIT, unknown: [], directUpload: true, violations: [] });
  });

  test('one byte over is a violation naming the function, components, limit, overage and five largest packages', () => {
    const check = checkFunction('Fn', components(10 * MiB + 1, 240 * MiB), 1000, 1, LAMBDA_LIMITS);
    expect(check.totalUnzippedBytes).toBe(LIMIT + 1);
    expect(check.violations).toEqual([
      'function Fn is 250.0 MiB (262,144,001 bytes) unzipped, over the limit of 250.0 MiB (262,144,000 bytes) ' +
        'by 1 B (1 bytes). Components: code 10.0 MiB, layer Deps 240.0 MiB. ' +
        'Largest packages: numpy 60.0 MiB (layer Deps), scipy 50.0 MiB (layer Deps), pandas 40.0 MiB (layer Deps), ' +
        'pyarrow 40.0 MiB (layer Deps), app-lib 3.0 MiB (code)'
    ]);
  });

  test('with a single component, packages are not labelled with it', () => {
    const check = checkFunction(
      'Fn',
      [{ label: 'code', unzippedBytes: LIMIT + 1, packages: [pkg('big', 200 * MiB), pkg('small', 1)] }],
      0,
      0,
      LAMBDA_LIMITS
    );
    expect(check.violations[0]).toMatch(/\. Largest packages: big 200\.0 MiB, small 1 B$/);
  });

  test('one package in two layers is listed for each, with its layer', () => {
    const check = checkFunction(
      'Fn',
      [
        { label: 'layer A', unzippedBytes: LIMIT, packages: [pkg('numpy', 30 * MiB)] },
        { label: 'layer B', unzippedBytes: 1, packages: [pkg('numpy', 30 * MiB)] }
      ],
      0,
      2,
      LAMBDA_LIMITS
    );
    expect(check.violations[0]).toMatch(/Largest packages: numpy 30\.0 MiB \(layer A\), numpy 30\.0 MiB \(layer B\)$/);
  });

  test('an over-limit function with no package data says so', () => {
    const check = checkFunction('Fn', [{ label: 'code', unzippedBytes: LIMIT + 2048, packages: [] }], 0, 0, LAMBDA_LIMITS);
    expect(check.violations).toHaveLength(1);
    expect(check.violations[0]).toMatch(/by 2\.0 KiB \(2,048 bytes\)\. Components: code 250\.0 MiB\. Largest packages: none$/);
  });

  test.each([
    [5, []],
    [6, ['function Fn uses 6 layers; Lambda allows at most 5']]
  ])('%i layers -> %j', (layers, violations) => {
    expect(checkFunction('Fn', components(1, 1), 1, layers, LAMBDA_LIMITS).violations).toEqual(violations);
  });

  test('both violations are reported together, size first', () => {
    const check = checkFunction('Fn', components(LIMIT, 1), 1, 7, LAMBDA_LIMITS);
    expect(check.violations).toHaveLength(2);
    expect(check.violations[0]).toMatch(/^function Fn is /);
    expect(check.violations[1]).toBe('function Fn uses 7 layers; Lambda allows at most 5');
  });

  test.each([
    [ZIP_LIMIT - 1, true],
    [ZIP_LIMIT, true],
    [ZIP_LIMIT + 1, false]
  ])('a zip of %i bytes: directUpload %s, and never a violation', (zipped, directUpload) => {
    const check = checkFunction('Fn', components(1, 1), zipped, 1, LAMBDA_LIMITS);
    expect(check.directUpload).toBe(directUpload);
    expect(check.violations).toEqual([]);
  });

  test('components of unknown size are listed and the total is a lower bound', () => {
    const check = checkFunction(
      'Fn',
      [
        { label: 'code', unzippedBytes: 1 * MiB, packages: [] },
        { label: 'arn:aws:lambda:us-east-1:123456789012:layer:ext:1', unzippedBytes: undefined, packages: [] },
        { label: 'layer Deps', unzippedBytes: 2 * MiB, packages: [] },
        { label: 'parameter Shared', unzippedBytes: undefined, packages: [] }
      ],
      1,
      3,
      LAMBDA_LIMITS
    );
    expect(check).toEqual({
      totalUnzippedBytes: 3 * MiB,
      unknown: ['arn:aws:lambda:us-east-1:123456789012:layer:ext:1', 'parameter Shared'],
      directUpload: true,
      violations: []
    });
  });

  test('an unknown component is named as such in an over-limit message', () => {
    const check = checkFunction(
      'Fn',
      [
        { label: 'code', unzippedBytes: LIMIT + 1, packages: [] },
        { label: 'parameter Shared', unzippedBytes: undefined, packages: [] }
      ],
      1,
      1,
      LAMBDA_LIMITS
    );
    expect(check.violations[0]).toContain('Components: code 250.0 MiB, parameter Shared size unknown.');
  });

  test('custom limits are honoured', () => {
    const limits = { unzippedBytes: 1000, directUploadZippedBytes: 100, maxLayers: 1 };
    const check = checkFunction('Fn', [{ label: 'code', unzippedBytes: 1001, packages: [] }], 101, 2, limits);
    expect(check.directUpload).toBe(false);
    expect(check.violations).toEqual([
      'function Fn is 1001 B (1,001 bytes) unzipped, over the limit of 1000 B (1,000 bytes) by 1 B (1 bytes). ' +
        'Components: code 1001 B. Largest packages: none',
      'function Fn uses 2 layers; Lambda allows at most 1'
    ]);
  });
});

describe('checkLayer', () => {
  test('at the limit: no violation', () => {
    expect(checkLayer('Deps', LIMIT, LAYER_PACKAGES, LAMBDA_LIMITS)).toEqual([]);
  });

  test('over the limit: one message with the overage and largest packages', () => {
    expect(checkLayer('Deps', LIMIT + 100, LAYER_PACKAGES, LAMBDA_LIMITS)).toEqual([
      'layer Deps alone is 250.0 MiB (262,144,100 bytes) unzipped, over the limit of 250.0 MiB (262,144,000 bytes) ' +
        'by 100 B (100 bytes). Largest packages: numpy 60.0 MiB, scipy 50.0 MiB, pandas 40.0 MiB, pyarrow 40.0 MiB, idna 2.0 MiB'
    ]);
  });
});

describe('largestPackages', () => {
  test('sorts by size, then name, across components, and keeps the count asked', () => {
    const largest = largestPackages(components(1, 1), 7).map((p) => [p.name, p.in]);
    expect(largest).toEqual([
      ['numpy', 'layer Deps'],
      ['scipy', 'layer Deps'],
      ['pandas', 'layer Deps'],
      ['pyarrow', 'layer Deps'],
      ['app-lib', 'code'],
      ['idna', 'layer Deps'],
      ['six', 'layer Deps']
    ]);
    expect(largestPackages(components(1, 1))).toHaveLength(5);
  });

  test('does not reorder the component package lists', () => {
    const before = LAYER_PACKAGES.map((p) => p.name);
    largestPackages(components(1, 1));
    expect(LAYER_PACKAGES.map((p) => p.name)).toEqual(before);
  });
});
