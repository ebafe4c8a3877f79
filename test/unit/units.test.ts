import { formatBytes, formatCount, percent } from '../../src/shared/units.js';

describe('formatBytes', () => {
  test.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
    [262_144_000, '250.0 MiB'],
    [52_428_800, '50.0 MiB'],
    [1024 ** 3, '1.0 GiB'],
    [5 * 1024 ** 4, '5120.0 GiB'],
    [-5, '-5 B'],
    [-2048, '-2.0 KiB'],
    [-262_144_000, '-250.0 MiB']
  ])('%i -> %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('formatCount', () => {
  test.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [262_144_000, '262,144,000']
  ])('%i -> %s', (n, expected) => {
    expect(formatCount(n)).toBe(expected);
  });
});

describe('percent', () => {
  test.each([
    [0, 100, '0.0%'],
    [1, 3, '33.3%'],
    [2, 3, '66.7%'],
    [131_072_000, 262_144_000, '50.0%'],
    [262_144_000, 262_144_000, '100.0%'],
    [300_000_000, 262_144_000, '114.4%']
  ])('%i of %i -> %s', (part, whole, expected) => {
    expect(percent(part, whole)).toBe(expected);
  });
});
