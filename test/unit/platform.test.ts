import { InputError } from '../../src/shared/errors.js';
import { deprecationWarning, isArchitecture, manylinuxTags, platformFor, SUPPORTED_RUNTIMES } from '../../src/lambda/platform.js';
import { thrownBy } from './fixtures.js';

/** The glibc minor of a manylinux_2_N tag, or of a legacy alias. */
function glibcMinor(tag: string): number {
  const legacy: Record<string, number> = { manylinux2014: 17, manylinux2010: 12, manylinux1: 5 };
  const pep600 = /^manylinux_2_(\d+)_/.exec(tag);
  if (pep600?.[1]) return Number(pep600[1]);
  const alias = tag.slice(0, tag.indexOf('_'));
  const minor = legacy[alias];
  if (minor === undefined) throw new Error(`not a manylinux tag: ${tag}`);
  return minor;
}

describe('platformFor', () => {
  test('python3.12 x86_64', () => {
    const p = platformFor('python3.12', 'x86_64');
    expect(p).toMatchObject({ runtime: 'python3.12', architecture: 'x86_64', pythonVersion: '3.12', abi: 'cp312', glibc: [2, 34] });
    const expected: string[] = [];
    for (let minor = 34; minor >= 5; minor--) {
      expected.push(`manylinux_2_${minor}_x86_64`);
      if (minor === 17) expected.push('manylinux2014_x86_64');
      if (minor === 12) expected.push('manylinux2010_x86_64');
      if (minor === 5) expected.push('manylinux1_x86_64');
    }
    expect(p.platformTags).toEqual(expected);
    expect(p.platformTags[0]).toBe('manylinux_2_34_x86_64');
    expect(p.platformTags.at(-1)).toBe('manylinux1_x86_64');
    expect(p.platformTags).toHaveLength(33);
  });

  test('python3.11 (Amazon Linux 2, glibc 2.26) lists no manylinux_2_27 or newer tag', () => {
    const p = platformFor('python3.11', 'x86_64');
    expect(p.glibc).toEqual([2, 26]);
    expect(p.platformTags[0]).toBe('manylinux_2_26_x86_64');
    expect(Math.max(...p.platformTags.map(glibcMinor))).toBe(26);
    expect(p.platformTags).not.toContain('manylinux_2_27_x86_64');
    expect(p.platformTags).not.toContain('manylinux_2_28_x86_64');
    expect(p.platformTags).toEqual(expect.arrayContaining(['manylinux2014_x86_64', 'manylinux2010_x86_64', 'manylinux1_x86_64']));
    expect(p.platformTags).toHaveLength(22 + 3);
  });

  test('legacy aliases follow their PEP 600 tag', () => {
    const tags = platformFor('python3.11', 'x86_64').platformTags;
    for (const [pep600, alias] of [
      ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
      ['manylinux_2_12_x86_64', 'manylinux2010_x86_64'],
      ['manylinux_2_5_x86_64', 'manylinux1_x86_64']
    ] as const) {
      expect(tags.indexOf(alias)).toBe(tags.indexOf(pep600) + 1);
    }
  });

  test('tags are newest first', () => {
    const minors = platformFor('python3.13', 'x86_64').platformTags.map(glibcMinor);
    expect(minors).toEqual([...minors].sort((a, b) => b - a));
  });

  test('arm64 uses aarch64 and stops at glibc 2.17', () => {
    const p = platformFor('python3.12', 'arm64');
    expect(p.platformTags[0]).toBe('manylinux_2_34_aarch64');
    expect(p.platformTags.slice(-2)).toEqual(['manylinux_2_17_aarch64', 'manylinux2014_aarch64']);
    expect(p.platformTags).toHaveLength(18 + 1);
    expect(p.platformTags.every((t) => t.endsWith('_aarch64'))).toBe(true);
    expect(p.platformTags).not.toContain('manylinux1_aarch64');
    expect(p.platformTags).not.toContain('manylinux2010_aarch64');
    expect(p.platformTags).not.toContain('manylinux_2_16_aarch64');
    expect(p.platformTags.some((t) => t.includes('x86_64'))).toBe(false);
  });

  test('python3.11 arm64', () => {
    expect(platformFor('python3.11', 'arm64').platformTags).toEqual([
      'manylinux_2_26_aarch64',
      'manylinux_2_25_aarch64',
      'manylinux_2_24_aarch64',
      'manylinux_2_23_aarch64',
      'manylinux_2_22_aarch64',
      'manylinux_2_21_aarch64',
      'manylinux_2_20_aarch64',
      'manylinux_2_19_aarch64',
      'manylinux_2_18_aarch64',
      'manylinux_2_17_aarch64',
      'manylinux2014_aarch64'
    ]);
  });

  test.each([
    ['python3.9', '3.9', 'cp39', [2, 26]],
    ['python3.10', '3.10', 'cp310', [2, 26]],
    ['python3.11', '3.11', 'cp311', [2, 26]],
    ['python3.12', '3.12', 'cp312', [2, 34]],
    ['python3.13', '3.13', 'cp313', [2, 34]]
  ])('%s: python %s, abi %s, glibc %j', (runtime, pythonVersion, abi, glibc) => {
    expect(platformFor(runtime, 'x86_64')).toMatchObject({ pythonVersion, abi, glibc });
  });

  test.each([['python3.99'], ['python3.7'], ['nodejs22.x'], ['python3'], ['']])('unknown runtime %j throws an InputError', (runtime) => {
    const error = thrownBy(() => platformFor(runtime, 'x86_64', { file: '/repo/template.yaml', line: 12 }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `/repo/template.yaml:12: unknown or unsupported runtime "${runtime}": expected one of ${SUPPORTED_RUNTIMES.join(', ')}`
    );
  });

  test('an unknown runtime without a location still throws', () => {
    expect(() => platformFor('python4.0', 'arm64')).toThrow(InputError);
  });
});

describe('manylinuxTags', () => {
  test('a glibc older than the oldest policy gives no tag', () => {
    expect(manylinuxTags([2, 16], 'arm64')).toEqual([]);
    expect(manylinuxTags([2, 5], 'x86_64')).toEqual(['manylinux_2_5_x86_64', 'manylinux1_x86_64']);
  });
});

describe('isArchitecture', () => {
  test.each([
    ['x86_64', true],
    ['arm64', true],
    ['aarch64', false],
    ['amd64', false],
    ['X86_64', false],
    [undefined, false],
    [64, false]
  ])('%j -> %s', (value, expected) => {
    expect(isArchitecture(value)).toBe(expected);
  });
});

describe('deprecationWarning', () => {
  const today = new Date('2026-11-25T12:00:00Z');

  test('python3.9 is deprecated on 2026-11-25, and the warning gives the date', () => {
    const warning = deprecationWarning(platformFor('python3.9', 'x86_64'), today);
    expect(warning).toBeDefined();
    expect(warning).toContain('runtime python3.9 is deprecated by AWS Lambda since 2025-12-15');
    expect(warning).toContain(`move to ${SUPPORTED_RUNTIMES.at(-1)}`);
  });

  test('python3.12 is not deprecated on 2026-11-25', () => {
    expect(deprecationWarning(platformFor('python3.12', 'x86_64'), today)).toBeUndefined();
  });

  test.each([
    ['the day before', '2025-12-14T23:59:59Z', false],
    ['the day itself', '2025-12-15T00:00:00Z', true],
    ['later', '2030-01-01T00:00:00Z', true]
  ])('python3.9 %s (%s): warned=%s', (_label, iso, warned) => {
    expect(deprecationWarning(platformFor('python3.9', 'arm64'), new Date(iso)) !== undefined).toBe(warned);
  });
});
