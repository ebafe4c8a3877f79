import { overlayDistributions, packageSizes, type Distribution } from '../../src/artifact/distributions.js';
import type { TreeEntry } from '../../src/artifact/file-tree.js';

const file = (path: string, size: number): TreeEntry => ({ path, size, executable: false });

const REQUESTS: Distribution = {
  name: 'requests',
  version: '2.31.0',
  distInfo: 'requests-2.31.0.dist-info',
  files: ['requests/__init__.py', 'requests/api.py', 'requests-2.31.0.dist-info/METADATA', 'requests-2.31.0.dist-info/RECORD']
};

const SIX: Distribution = {
  name: 'six',
  version: '1.16.0',
  distInfo: 'six-1.16.0.dist-info',
  files: ['six.py', 'six-1.16.0.dist-info/METADATA']
};

describe('packageSizes', () => {
  const layerTree: TreeEntry[] = [
    file('python/requests/__init__.py', 1000),
    file('python/requests/api.py', 3000),
    file('python/requests-2.31.0.dist-info/METADATA', 200),
    file('python/requests-2.31.0.dist-info/RECORD', 100),
    // Written by pip after RECORD, so not listed in it: still the distribution's.
    file('python/requests-2.31.0.dist-info/INSTALLER', 4),
    file('python/six.py', 5000),
    file('python/six-1.16.0.dist-info/METADATA', 50),
    // RECORD of six is not in its own file list: counted to six all the same.
    file('python/six-1.16.0.dist-info/RECORD', 30),
    // Nobody claims these.
    file('python/bin/normalizer', 700),
    file('python/stray.pth', 10)
  ];

  test('files are attributed through RECORD paths under the site prefix; dist-info files count to their distribution', () => {
    expect(packageSizes(layerTree, [REQUESTS, SIX], 'python/')).toEqual([
      { name: 'six', version: '1.16.0', bytes: 5000 + 50 + 30 },
      { name: 'requests', version: '2.31.0', bytes: 1000 + 3000 + 200 + 100 + 4 }
    ]);
  });

  test('unclaimed files are summed under the label, when one is given', () => {
    expect(packageSizes(layerTree, [REQUESTS, SIX], 'python/', '(other files)')).toEqual([
      { name: 'six', version: '1.16.0', bytes: 5080 },
      { name: 'requests', version: '2.31.0', bytes: 4304 },
      { name: '(other files)', version: '', bytes: 710 }
    ]);
  });

  test('with an empty prefix (a function package), paths are the RECORD paths as they are', () => {
    const fnTree = [file('app.py', 900), file('six.py', 5000), file('six-1.16.0.dist-info/METADATA', 50), file('helpers/util.py', 100)];
    expect(packageSizes(fnTree, [SIX], '', 'code')).toEqual([
      { name: 'six', version: '1.16.0', bytes: 5050 },
      { name: 'code', version: '', bytes: 1000 }
    ]);
  });

  test('a RECORD path without the prefix does not match a prefixed tree', () => {
    expect(packageSizes([file('six.py', 5000)], [SIX], 'python/')).toEqual([]);
  });

  test('sorted largest first, ties by name', () => {
    const a: Distribution = { name: 'aaa', version: '1', distInfo: 'aaa-1.dist-info', files: ['aaa.py'] };
    const b: Distribution = { name: 'bbb', version: '2', distInfo: 'bbb-2.dist-info', files: ['bbb.py'] };
    const c: Distribution = { name: 'ccc', version: '3', distInfo: 'ccc-3.dist-info', files: ['ccc.py'] };
    const tree = [file('python/bbb.py', 10), file('python/aaa.py', 10), file('python/ccc.py', 20)];
    expect(packageSizes(tree, [c, b, a], 'python/').map((p) => p.name)).toEqual(['ccc', 'aaa', 'bbb']);
  });

  test('no entries, no sizes', () => {
    expect(packageSizes([], [REQUESTS], 'python/', 'other')).toEqual([]);
  });

  test('a distribution with no installed files does not appear', () => {
    expect(packageSizes([file('python/six.py', 1)], [REQUESTS, SIX], 'python/')).toEqual([{ name: 'six', version: '1.16.0', bytes: 1 }]);
  });
});

describe('overlayDistributions', () => {
  const dist = (name: string, version: string): Distribution => ({ name, version, distInfo: `${name}-${version}.dist-info`, files: [] });

  test('the last layer wins; the same version twice is no conflict', () => {
    const result = overlayDistributions([
      { layer: 'Core', dists: [dist('six', '1.16.0'), dist('idna', '3.6')] },
      { layer: 'Ml', dists: [dist('six', '1.16.0'), dist('numpy', '1.26.4')] }
    ]);
    expect(result.conflicts).toEqual([]);
    expect(result.effective.map((d) => `${d.name}==${d.version}`)).toEqual(['six==1.16.0', 'idna==3.6', 'numpy==1.26.4']);
  });

  test('two versions of one distribution are a conflict naming both layers and versions', () => {
    const result = overlayDistributions([
      { layer: 'Core', dists: [dist('urllib3', '1.26.18')] },
      { layer: 'Ml', dists: [dist('urllib3', '2.2.1')] }
    ]);
    expect(result.conflicts).toEqual([
      'layers Core and Ml install different versions of urllib3 (1.26.18, 2.2.1): both are extracted into /opt and their files mix; pin one version in both'
    ]);
    expect(result.effective).toEqual([dist('urllib3', '2.2.1')]);
  });
});
