import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeStaleScratch, withScratchDir } from '../../src/shared/scratch.js';

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'scratch-test-'));
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

test("a scratch folder carries its maker's pid and is gone afterwards, even when `use` throws", async () => {
  let seen = '';
  await expect(
    withScratchDir(parent, 'lambda-layers-verify-', async (dir) => {
      seen = path.basename(dir);
      await mkdir(path.join(dir, 'inside'));
      throw new Error('boom');
    })
  ).rejects.toThrow('boom');
  expect(seen).toMatch(new RegExp(`^lambda-layers-verify-${process.pid}-\\w{6}$`));
  expect(existsSync(path.join(parent, seen))).toBe(false);
});

test('only the scratch folders of processes that are gone are removed', async () => {
  const names = [
    'lambda-layers-verify-4242-a1B2c3', // gone
    'lambda-layers-tools-4343-zzzzzz', // alive
    'lambda-layers-app-a1B2c3', // a test's own folder: no pid
    'lambda-layers-cache', // the Actions cache stage
    'other-4242-a1B2c3'
  ];
  for (const name of names) await mkdir(path.join(parent, name));
  const removed = await removeStaleScratch(parent, (pid) => pid === 4343);
  expect(removed).toEqual(['lambda-layers-verify-4242-a1B2c3']);
  expect((await readdir(parent)).sort()).toEqual(names.slice(1).sort());
});
