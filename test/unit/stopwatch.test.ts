import { Stopwatch, timed } from '../../src/shared/stopwatch.js';

/** A clock read from a list: each reading takes the next value. */
const readings =
  (...values: number[]) =>
  () =>
    values.shift() ?? Number.NaN;

describe('Stopwatch', () => {
  test('sums each phase over its runs, to a tenth of a millisecond; a phase that never ran is absent', async () => {
    const watch = new Stopwatch<'install' | 'zip' | 'verify'>(readings(100, 350.04, 400, 401.26, 1000, 1250));
    await watch.time('install', () => Promise.resolve());
    await watch.time('zip', () => Promise.resolve());
    await watch.time('install', () => Promise.resolve());
    expect(watch.timings()).toEqual({ install: 500, zip: 1.3 });
  });

  test('a phase that fails still counts, and the failure goes through', async () => {
    const watch = new Stopwatch<'install'>(readings(0, 42));
    await expect(watch.time('install', () => Promise.reject(new Error('pip failed')))).rejects.toThrow('pip failed');
    expect(watch.timings()).toEqual({ install: 42 });
  });

  test('a clock that goes back gives 0, never a negative time', async () => {
    const watch = new Stopwatch<'zip'>(readings(10, 5));
    await watch.time('zip', () => Promise.resolve());
    expect(watch.timings()).toEqual({ zip: 0 });
  });

  test('timed runs the work untimed without a timer', async () => {
    await expect(timed(undefined, 'zip', () => Promise.resolve(7))).resolves.toBe(7);
  });
});
