import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FolderCache, type BuildCache } from '../../src/cache/folder-cache.js';
import { isObject } from '../../src/shared/json.js';
import { pipInstaller } from '../../src/install/choose-installer.js';
import { installCached, type InstallContext, type InstallUnit } from '../../src/install/install-requirements.js';
import { platformFor } from '../../src/lambda/platform.js';
import { parseRequirements } from '../../src/plan/requirements.js';
import { BuildError } from '../../src/shared/errors.js';
import { FAKE_INDEX, recordingLogger } from '../helpers/fake-app.js';
import { FakePip, fakeTools } from '../helpers/fake-tools.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-install-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function unitFor(text: string, constraints: string[] = []): Promise<InstallUnit> {
  const requirementsFile = path.join(dir, 'requirements.txt');
  await writeFile(requirementsFile, text);
  return {
    label: 'layer CoreLayer',
    requirementsFile,
    requirements: parseRequirements(text, requirementsFile),
    platform: platformFor('python3.12', 'x86_64'),
    constraints,
    constraintsFrom: constraints.length ? 'layer BaseLayer' : undefined,
    key: `key-${text.length}-${constraints.length}`,
    siteDir: path.join(dir, 'site')
  };
}

function contextWith(pip: FakePip, cache: BuildCache = new FolderCache(path.join(dir, 'cache')), allowSdist: string[] = []) {
  const logger = recordingLogger();
  const ctx: InstallContext = {
    pip,
    installWith: pipInstaller(pip, 'pip 99.0'),
    make: fakeTools().make,
    cache,
    logger,
    workDir: path.join(dir, 'work'),
    installer: 'pip 99.0',
    pipArgs: [],
    allowSdist
  };
  return { ctx, logger };
}

const topLevel = async (siteDir: string) => (await readdir(siteDir)).sort();

describe('installCached', () => {
  test('a miss installs, runs the slimming step and saves both; a hit restores them without pip', async () => {
    const unit = await unitFor('core-lib==1.0\n');
    const pip = new FakePip(FAKE_INDEX);
    const { ctx } = contextWith(pip);
    const miss = await installCached(unit, ctx, async (siteDir) => ({ top: await topLevel(siteDir) }), isObject);
    expect(miss).toEqual({ cacheHit: false, meta: { top: ['core_lib', 'core_lib-1.0.dist-info'] } });
    expect(pip.installs.map((i) => i.targetDir)).toEqual([unit.siteDir]);

    await rm(unit.siteDir, { recursive: true });
    let slimmed = 0;
    const hit = await installCached(unit, ctx, () => Promise.resolve({ top: [String(++slimmed)] }), isObject);
    expect(hit).toEqual({ cacheHit: true, meta: { top: ['core_lib', 'core_lib-1.0.dist-info'] } });
    expect(slimmed).toBe(0);
    expect(pip.installs).toHaveLength(1);
    expect(await topLevel(unit.siteDir)).toEqual(['core_lib', 'core_lib-1.0.dist-info']);
  });

  test('constraints reach pip as a file', async () => {
    const unit = await unitFor('ml-lib==0.5\n', ['core-lib==1.0']);
    const pip = new FakePip(FAKE_INDEX);
    await installCached(unit, contextWith(pip).ctx, () => Promise.resolve({}), isObject);
    expect(pip.installs[0]?.constraints).toEqual(['core-lib==1.0']);
  });

  test("a requirement pip cannot satisfy is a BuildError at its line, explained from pip's debug log", async () => {
    const unit = await unitFor('core-lib==1.0\n\nmissing-lib==2.0\n');
    const failure = installCached(unit, contextWith(new FakePip(FAKE_INDEX)).ctx, () => Promise.resolve({}), isObject);
    await expect(failure).rejects.toThrow(BuildError);
    await expect(failure).rejects.toMatchObject({
      location: { file: unit.requirementsFile, line: 3 },
      message: expect.stringContaining(
        'layer CoreLayer: requirement "missing-lib==2.0": no wheel of missing-lib==2.0 loads on python3.12 x86_64 (cp312, manylinux'
      ) as unknown
    });
  });

  test('a conflict with the layers below names where the constraints come from', async () => {
    const unit = await unitFor('core-lib==1.0\n', ['core-lib==0.9']);
    const failure = installCached(unit, contextWith(new FakePip(FAKE_INDEX)).ctx, () => Promise.resolve({}), isObject);
    await expect(failure).rejects.toMatchObject({
      location: { file: unit.requirementsFile },
      message: expect.stringMatching(
        /layer CoreLayer: pip failed: Cannot install core-lib==1\.0 .*The conflict is caused by: .*\(the constraints are the versions installed by layer BaseLayer\)$/
      ) as unknown
    });
  });

  test('an allowed sdist that does not build fails at the requirements file', async () => {
    const unit = await unitFor('helper==0.1\n');
    const pip = new FakePip(FAKE_INDEX);
    const failure = installCached(unit, contextWith(pip, undefined, ['Helper']).ctx, () => Promise.resolve({}), isObject);
    await expect(failure).rejects.toThrow(
      `layer CoreLayer: building allowed sdist "helper==0.1" failed: Failed building wheel for helper==0.1`
    );
    expect(pip.wheels).toEqual(['helper==0.1']);
    expect(pip.installs).toEqual([]);
  });

  test('a cache that fails to restore or save is a warning, never a failed build', async () => {
    const unit = await unitFor('core-lib==1.0\n');
    const broken: BuildCache = {
      restore: () => Promise.reject(new Error('restore refused')),
      save: () => Promise.reject(new Error('save refused'))
    };
    const { ctx, logger } = contextWith(new FakePip(FAKE_INDEX), broken);
    expect(await installCached(unit, ctx, () => Promise.resolve({ slimmed: true }), isObject)).toEqual({
      cacheHit: false,
      meta: { slimmed: true }
    });
    expect(logger.logged.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      'layer CoreLayer: restore refused: building instead',
      'cache save failed for layer CoreLayer: save refused'
    ]);
  });
});
