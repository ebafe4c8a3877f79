import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeLeftovers, replaceAtomically, temporaryWriter } from '../../src/shared/atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a temporary name tells its writer; other names do not', () => {
  expect(temporaryWriter('.CoreLayer.zip.tmp-4242-0a1b2c3d')).toBe(4242);
  expect(temporaryWriter('CoreLayer.zip')).toBeUndefined();
  expect(temporaryWriter('.lock')).toBeUndefined();
  expect(temporaryWriter('.x.tmp-12-nothex!!')).toBeUndefined();
});

test('the temporary name a write uses is one removeLeftovers knows', async () => {
  let seen = '';
  await replaceAtomically(path.join(dir, 'report.json'), async (temporary) => {
    seen = path.basename(temporary);
    await writeFile(temporary, '{}');
  });
  expect(temporaryWriter(seen)).toBe(process.pid);
  expect(await readdir(dir)).toEqual(['report.json']);
});

test("leftovers of gone writers are removed; a live writer's and other files stay", async () => {
  const files = ['.a.zip.tmp-111-00000000', '.b.json.tmp-222-ffffffff', 'a.zip', '.lock'];
  for (const name of files) await writeFile(path.join(dir, name), 'x');
  await removeLeftovers([dir, path.join(dir, 'missing')], (pid) => pid === 222);
  expect((await readdir(dir)).sort()).toEqual(['.b.json.tmp-222-ffffffff', '.lock', 'a.zip']);
});
