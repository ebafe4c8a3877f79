import { DamagedEntry, listingProblem, parseManifest, type ManifestNode } from '../../src/cache/entry-manifest.js';

const HASH = 'a'.repeat(64);
const tree: ManifestNode[] = [
  { path: 'pkg/__init__.pyc', size: 10, mode: 0o644, sha256: HASH },
  { path: 'pkg/link.py', link: '__init__.pyc' },
  { path: 'pkg/empty', dir: true }
];
const listed = [
  { path: 'pkg/__init__.pyc', kind: 'file' as const, size: 10, mode: 0o644 },
  { path: 'pkg/empty', kind: 'dir' as const, size: 0, mode: 0 },
  { path: 'pkg/link.py', kind: 'link' as const, size: 0, mode: 0 }
];

describe('parseManifest', () => {
  test('reads a well-formed manifest', () => {
    const text = JSON.stringify({ meta: HASH, tree, files: { 'layer.zip': { size: 3, sha256: HASH } } });
    expect(parseManifest(text)).toEqual({ meta: HASH, tree, files: { 'layer.zip': { size: 3, sha256: HASH } } });
    expect(parseManifest(JSON.stringify({ meta: HASH, files: {} }))).toEqual({ meta: HASH, files: {} });
  });

  test.each([
    ['not JSON', '{', 'manifest.json is not JSON'],
    ['null', 'null', 'manifest.json has no meta hash'],
    ['an empty object', '{}', 'manifest.json has no meta hash'],
    ['a path leaving the tree', JSON.stringify({ meta: HASH, files: {}, tree: [{ path: '../x', link: 'y' }] }), 'malformed tree'],
    [
      'an absolute path',
      JSON.stringify({ meta: HASH, files: {}, tree: [{ path: '/etc/passwd', size: 1, mode: 420, sha256: HASH }] }),
      'malformed tree'
    ],
    [
      'a negative size',
      JSON.stringify({ meta: HASH, files: {}, tree: [{ path: 'a', size: -1, mode: 420, sha256: HASH }] }),
      'malformed tree'
    ],
    ['a short hash', JSON.stringify({ meta: HASH, files: { z: { size: 1, sha256: 'abc' } } }), 'malformed files'],
    ['no files', JSON.stringify({ meta: HASH }), 'malformed files']
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseManifest(text)).toThrow(DamagedEntry);
    expect(() => parseManifest(text)).toThrow(message);
  });
});

describe('listingProblem', () => {
  test('a listing that matches has no problem', () => {
    expect(listingProblem(tree, listed)).toBeUndefined();
  });

  test.each([
    ['a missing file', listed.slice(1), 'pkg/__init__.pyc is missing'],
    ['an added file', [...listed, { path: 'pkg/x.py', kind: 'file' as const, size: 1, mode: 0o644 }], 'pkg/x.py is not in the manifest'],
    ['another size', [{ ...listed[0]!, size: 9 }, ...listed.slice(1)], 'pkg/__init__.pyc has 9 bytes, the manifest says 10'],
    ['another mode', [{ ...listed[0]!, mode: 0o755 }, ...listed.slice(1)], 'pkg/__init__.pyc has mode 755, the manifest says 644'],
    [
      'a link for a file',
      [{ ...listed[0]!, kind: 'link' as const }, ...listed.slice(1)],
      'pkg/__init__.pyc is a link, the manifest says file'
    ]
  ])('names %s', (_name, actual, problem) => {
    expect(listingProblem(tree, actual)).toBe(problem);
  });
});
