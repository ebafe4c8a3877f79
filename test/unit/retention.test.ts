import { InputError } from '../../src/shared/errors.js';
import { parseKeepVersions, versionsToDelete } from '../../src/publish/retention.js';
import { thrownBy } from './fixtures.js';

describe('versionsToDelete', () => {
  test.each<[string, number[], number, Array<number | undefined>, number[]]>([
    ['keep the newest 3 of 6', [6, 5, 4, 3, 2, 1], 3, [6, 5], [1, 2, 3]],
    ['listing order does not matter', [1, 4, 2, 6, 3, 5], 3, [6, 5], [1, 2, 3]],
    ['gaps in the numbers (earlier deletions)', [9, 7, 4, 2], 2, [9, 7], [2, 4]],
    ['fewer versions than N: nothing', [2, 1], 5, [2, 1], []],
    ['N = 1 behaves as 2: the previous version stays', [3, 2, 1], 1, [3, 2], [1]],
    ['an older previous version is never deleted', [8, 7, 6, 5], 2, [8, 5], [6]],
    ['unchanged: current = previous = newest', [4, 3, 2, 1], 2, [4, 4], [1, 2]],
    ['a current version that is not the newest (published by hand since)', [10, 9, 8, 7], 2, [8, 7], []],
    ['first publish: no previous', [1], 2, [1, undefined], []],
    ['no versions', [], 3, [undefined, undefined], []],
    ['duplicates in the listing', [3, 3, 2, 1, 1], 2, [3, 2], [1]]
  ])('%s', (_, versions, keep, protectedVersions, expected) => {
    expect(versionsToDelete(versions, keep, protectedVersions)).toEqual(expected);
  });
});

describe('parseKeepVersions', () => {
  test.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['1', 1],
    ['5', 5],
    ['30', 30]
  ])('%j -> %j', (value, expected) => {
    expect(parseKeepVersions(value, 'keep-versions')).toBe(expected);
  });

  test.each(['0', '-1', '2.5', 'five', ' 3', '1e3'])('rejects %j, naming the input', (value) => {
    const error = thrownBy(() => parseKeepVersions(value, '--keep-versions')) as Error;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`--keep-versions must be a positive whole number, got "${value}"`);
  });
});
