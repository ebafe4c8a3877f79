import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkOutputFolders, outPath } from '../../src/build/out-paths.js';
import type { App } from '../../src/template/app-model.js';

const OUT = '/repo/.lambda-layers';

test('a logical ID (nested ones segment by segment) names its folder, zip and record under the output folder', () => {
  expect(outPath(OUT, 'layers', 'CoreLayer')).toEqual({
    root: `${OUT}/layers/CoreLayer`,
    zip: `${OUT}/layers/CoreLayer.zip`,
    record: `${OUT}/layers/CoreLayer.build.json`
  });
  expect(outPath(OUT, 'functions', 'Child/Fn').root).toBe(`${OUT}/functions/Child/Fn`);
});

test.each(['../../victim', '..', '.', '', 'a/../b', 'Child/', '/etc', 'a\\b', 'a\0b'])('%j never becomes a path', (name) => {
  expect(() => outPath(OUT, 'functions', name)).toThrow(`${JSON.stringify(name)} is not a logical ID`);
});

describe('an output or cache folder over the sources is refused', () => {
  let repo: string;
  const app = (): App => ({
    templateFile: path.join(repo, 'app/template.yaml'),
    rootDir: repo,
    layers: [{ name: 'Deps', contentDir: path.join(repo, 'app/layers/deps') } as App['layers'][number]],
    functions: [{ name: 'Fn', codeDir: path.join(repo, 'app/functions/Fn') } as App['functions'][number]],
    skipped: []
  });
  beforeAll(async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), 'out-paths-'));
    await mkdir(path.join(repo, 'app/functions/Fn'), { recursive: true });
    await mkdir(path.join(repo, 'app/layers/deps'), { recursive: true });
    await symlink(path.join(repo, 'app'), path.join(repo, 'link'));
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  test.each([
    ['app', 'is the template folder'],
    ['.', 'contains the template folder'],
    ['app/functions', 'contains CodeUri'],
    ['app/functions/Fn', 'is CodeUri'],
    ['app/layers/deps', 'is ContentUri'],
    ['link/functions', 'contains CodeUri']
  ])('--out %s: %s', (out, problem) => {
    const dir = path.join(repo, out);
    expect(() => checkOutputFolders(app(), [{ label: '--out', dir }])).toThrow(`--out ${dir} ${problem}`);
  });

  test.each(['app/.lambda-layers', 'app/functions/Fn/build', 'elsewhere/new'])('--out %s is fine', (out) => {
    expect(() => checkOutputFolders(app(), [{ label: '--out', dir: path.join(repo, out) }])).not.toThrow();
  });
});
