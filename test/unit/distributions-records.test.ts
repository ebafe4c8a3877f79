import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ownership, readDistributions, rewriteRecords, type Distribution } from '../../src/artifact/distributions.js';

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

describe('ownership', () => {
  test.each<[string, string, string | undefined]>([
    ['python/', 'python/requests/api.py', 'requests'],
    ['python/', 'python/requests-2.31.0.dist-info/RECORD', 'requests'],
    ['python/', 'python/requests-2.31.0.dist-info/INSTALLER', 'requests'], // not in RECORD, but in its dist-info
    ['python/', 'python/six-1.16.0.dist-info/RECORD', 'six'],
    ['python/', 'python/six.py', 'six'],
    ['python/', 'python/requests/new.py', undefined], // in the folder, but not in RECORD
    ['python/', 'python/stray.pth', undefined],
    ['python/', 'requests/api.py', undefined], // without the prefix
    ['python/', 'python/requests-2.31.0.dist-info', undefined], // the folder itself
    ['python/', 'python/requests-2.31.0.dist-info-old/x', undefined],
    ['', 'requests/api.py', 'requests'],
    ['', 'six-1.16.0.dist-info/WHEEL', 'six'],
    ['', 'python/six.py', undefined]
  ])('prefix %j: %s -> %s', (prefix, file, owner) => {
    expect(ownership([REQUESTS, SIX], prefix)(file)?.name).toBe(owner);
  });

  test('returns the distribution itself', () => {
    expect(ownership([REQUESTS, SIX], 'python/')('python/six.py')).toBe(SIX);
  });

  test('a path two distributions list belongs to the later one', () => {
    const a: Distribution = { name: 'a', version: '1', distInfo: 'a-1.dist-info', files: ['shared/x.py'] };
    const b: Distribution = { name: 'b', version: '1', distInfo: 'b-1.dist-info', files: ['shared/x.py'] };
    expect(ownership([a, b], '')('shared/x.py')).toBe(b);
    expect(ownership([b, a], '')('shared/x.py')).toBe(a);
  });

  test('no distributions own nothing', () => {
    expect(ownership([], 'python/')('python/six.py')).toBeUndefined();
  });
});

describe('rewriteRecords', () => {
  let site: string;
  beforeEach(async () => {
    site = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-records-'));
  });
  afterEach(async () => {
    await rm(site, { recursive: true, force: true });
  });

  async function rewrite(dists: Distribution[], present: string[]): Promise<void> {
    for (const dist of dists) await mkdir(path.join(site, dist.distInfo), { recursive: true });
    const shipped = new Set(present);
    await rewriteRecords(site, dists, (p) => shipped.has(p));
  }

  const record = (dist: Distribution) => readFile(path.join(site, dist.distInfo, 'RECORD'), 'utf8');

  test('lists what ships: a sourceless .py as its .pyc, removed files dropped, no hashes, RECORD last', async () => {
    const pkg: Distribution = {
      name: 'pkg',
      version: '1.0',
      distInfo: 'pkg-1.0.dist-info',
      files: [
        'pkg-1.0.dist-info/RECORD',
        'pkg/__init__.py',
        'pkg/core.py',
        'pkg/tests/test_core.py',
        'pkg/_ext.cpython-312-x86_64-linux-gnu.so',
        'pkg/data/table.json',
        'pkg-1.0.dist-info/METADATA',
        'pkg-1.0.dist-info/INSTALLER',
        '../../bin/pkg-tool'
      ]
    };
    await rewrite(
      [pkg],
      [
        'pkg/__init__.pyc',
        'pkg/core.py',
        'pkg/core.pyc',
        'pkg/_ext.cpython-312-x86_64-linux-gnu.so',
        'pkg/data/table.json',
        'pkg-1.0.dist-info/METADATA',
        'pkg-1.0.dist-info/RECORD'
      ]
    );
    expect(await record(pkg)).toBe(
      [
        'pkg/__init__.pyc,,', // replaced by its .pyc
        'pkg/core.py,,', // source kept (source+bytecode): listed as it is
        'pkg/_ext.cpython-312-x86_64-linux-gnu.so,,',
        'pkg/data/table.json,,',
        'pkg-1.0.dist-info/METADATA,,',
        'pkg-1.0.dist-info/RECORD,,',
        ''
      ].join('\n')
    );
  });

  test('RECORD is listed last even when RECORD did not list itself', async () => {
    await rewrite([SIX], ['six.pyc', 'six-1.16.0.dist-info/METADATA']);
    expect(await record(SIX)).toBe('six.pyc,,\nsix-1.16.0.dist-info/METADATA,,\nsix-1.16.0.dist-info/RECORD,,\n');
  });

  test('a .pyc stands in only for a .py', async () => {
    const dist: Distribution = { name: 'd', version: '1', distInfo: 'd-1.dist-info', files: ['d/a.pyi', 'd/b.txt', 'd/c.py'] };
    await rewrite([dist], ['d/a.pyic', 'd/b.txtc']);
    expect(await record(dist)).toBe('d-1.dist-info/RECORD,,\n');
  });

  test('paths with commas or quotes are quoted, quotes doubled', async () => {
    const dist: Distribution = {
      name: 'odd',
      version: '1',
      distInfo: 'odd-1.dist-info',
      files: ['odd/a,b.py', 'odd/say "hi".txt', 'odd/plain.txt']
    };
    await rewrite([dist], ['odd/a,b.pyc', 'odd/say "hi".txt', 'odd/plain.txt']);
    expect(await record(dist)).toBe(
      ['"odd/a,b.pyc",,', '"odd/say ""hi"".txt",,', 'odd/plain.txt,,', 'odd-1.dist-info/RECORD,,', ''].join('\n')
    );
  });

  test('each distribution gets its own RECORD; other files are untouched', async () => {
    await mkdir(path.join(site, 'requests-2.31.0.dist-info'), { recursive: true });
    await writeFile(path.join(site, 'requests-2.31.0.dist-info', 'METADATA'), 'Name: requests\n');
    await rewrite([REQUESTS, SIX], ['requests/__init__.pyc', 'requests/api.pyc', 'six.py', 'requests-2.31.0.dist-info/METADATA']);
    expect(await record(REQUESTS)).toBe(
      'requests/__init__.pyc,,\nrequests/api.pyc,,\nrequests-2.31.0.dist-info/METADATA,,\nrequests-2.31.0.dist-info/RECORD,,\n'
    );
    expect(await record(SIX)).toBe('six.py,,\nsix-1.16.0.dist-info/RECORD,,\n');
    expect(await readFile(path.join(site, 'requests-2.31.0.dist-info', 'METADATA'), 'utf8')).toBe('Name: requests\n');
  });

  test('an existing RECORD with hashes is replaced', async () => {
    await mkdir(path.join(site, SIX.distInfo));
    await writeFile(path.join(site, SIX.distInfo, 'RECORD'), 'six.py,sha256=abc,34549\nsix-1.16.0.dist-info/RECORD,,\n');
    await rewrite([SIX], ['six.py']);
    expect(await record(SIX)).toBe('six.py,,\nsix-1.16.0.dist-info/RECORD,,\n');
  });

  test('readDistributions reads back what was written, quoted paths included', async () => {
    const dist: Distribution = {
      name: 'odd',
      version: '2.0',
      distInfo: 'odd-2.0.dist-info',
      files: ['odd/__init__.py', 'odd/a,b.py', 'odd-2.0.dist-info/METADATA', 'odd-2.0.dist-info/RECORD']
    };
    await mkdir(path.join(site, dist.distInfo));
    await writeFile(path.join(site, dist.distInfo, 'METADATA'), 'Metadata-Version: 2.1\nName: odd\nVersion: 2.0\n');
    await rewrite([dist], ['odd/__init__.pyc', 'odd/a,b.pyc', 'odd-2.0.dist-info/METADATA']);
    expect(await readDistributions(site)).toEqual([
      { ...dist, files: ['odd/__init__.pyc', 'odd/a,b.pyc', 'odd-2.0.dist-info/METADATA', 'odd-2.0.dist-info/RECORD'] }
    ]);
  });

  // Regression (fixed): readDistributions ends a quoted RECORD path at its first quote, so a path with a doubled
  // quote (CSV escaping, as pip and rewriteRecords write it) is read back cut short: 'odd/say '.
  test('readDistributions reads back a path with a quote in it', async () => {
    const dist: Distribution = { name: 'odd', version: '2.0', distInfo: 'odd-2.0.dist-info', files: ['odd/say "hi".txt'] };
    await mkdir(path.join(site, dist.distInfo));
    await writeFile(path.join(site, dist.distInfo, 'METADATA'), 'Name: odd\nVersion: 2.0\n');
    await rewrite([dist], ['odd/say "hi".txt']);
    expect((await readDistributions(site))[0]?.files).toEqual(['odd/say "hi".txt', 'odd-2.0.dist-info/RECORD']);
  });
});
