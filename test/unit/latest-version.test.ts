import { newestVersionNumber } from '../../src/publish/latest-version.js';
import { allPages } from '../../src/aws/pages.js';

/** A fake ListLayerVersions over fixed pages: page i answers marker `m<i>` and points at `m<i+1>`. */
function pagedListing(pages: number[][]) {
  const asked: Array<string | undefined> = [];
  const listPage = (marker: string | undefined) => {
    asked.push(marker);
    const index = marker === undefined ? 0 : Number(marker.slice(1));
    const versions = pages[index];
    if (!versions) throw new Error(`unknown marker ${marker}`);
    return Promise.resolve({
      LayerVersions: versions.map((Version) => ({ Version, LayerVersionArn: `arn:aws:lambda:us-east-1:123456789012:layer:x:${Version}` })),
      NextMarker: index + 1 < pages.length ? `m${index + 1}` : undefined
    });
  };
  return { listPage, asked };
}

describe('newestVersionNumber', () => {
  const cases: Array<{ name: string; pages: number[][]; newest: number | undefined; calls: number }> = [
    { name: 'no versions', pages: [[]], newest: undefined, calls: 1 },
    { name: 'one page, newest first', pages: [[7, 6, 3]], newest: 7, calls: 1 },
    {
      name: 'three pages',
      pages: [
        [9, 8],
        [5, 4],
        [2, 1]
      ],
      newest: 9,
      calls: 3
    },
    { name: 'the newest on the last page (order is not relied on)', pages: [[2, 1], [4, 3], [11]], newest: 11, calls: 3 },
    { name: 'an empty page in the middle', pages: [[3], [], [12]], newest: 12, calls: 3 }
  ];
  test.each(cases)('$name', async ({ pages, newest, calls }) => {
    const { listPage, asked } = pagedListing(pages);
    await expect(newestVersionNumber(listPage)).resolves.toBe(newest);
    expect(asked).toEqual([undefined, ...pages.slice(1).map((_, i) => `m${i + 1}`)]);
    expect(asked).toHaveLength(calls);
  });
});

describe('allPages', () => {
  test('keeps every item in order across pages', async () => {
    const pages: Record<string, { items: string[]; nextMarker?: string }> = {
      start: { items: ['a', 'b'], nextMarker: 'p2' },
      p2: { items: ['c'], nextMarker: 'p3' },
      p3: { items: ['d', 'e'] }
    };
    await expect(allPages((marker) => Promise.resolve(pages[marker ?? 'start']!))).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('an empty NextMarker ends the listing', async () => {
    let calls = 0;
    await expect(allPages(() => (calls++, Promise.resolve({ items: [1], nextMarker: '' })))).resolves.toEqual([1]);
    expect(calls).toBe(1);
  });

  test('a marker seen before fails instead of looping forever', async () => {
    let calls = 0;
    await expect(allPages(() => (calls++, Promise.resolve({ items: [1], nextMarker: 'same' })))).rejects.toThrow(
      'repeated its marker "same"'
    );
    expect(calls).toBe(2);
  });
});
