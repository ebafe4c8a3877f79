/**
 * The import check with the real CPython 3.12: the function's layers laid out as Lambda extracts them into /opt,
 * a later layer's file replacing an earlier one's.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { platformFor } from '../../src/lambda/platform.js';
import { findTargetPython } from '../../src/tools/python-finder.js';
import { verifyImports } from '../../src/verify/import-check.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-verify-imports-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function tree(root: string, files: Record<string, string>): Promise<string> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return root;
}

test("a later layer's file replaces an earlier layer's; what only the earlier one ships stays", async () => {
  const python = await findTargetPython(platformFor('python3.12', 'x86_64'), {}, process.env);
  if (!python?.runsTarget) throw new Error('these tests need CPython 3.12 for this CPU');
  const site = 'python/lib/python3.12/site-packages';
  const first = await tree(path.join(dir, 'first'), {
    [`${site}/shared.py`]: 'WHO = "first"\n',
    [`${site}/only_first.py`]: 'import shared\nassert shared.WHO == "second", shared.WHO\n'
  });
  const second = await tree(path.join(dir, 'second'), { [`${site}/shared.py`]: 'WHO = "second"\n' });
  const fn = await tree(path.join(dir, 'function'), { 'app.py': 'import shared, only_first\n' });
  const result = await verifyImports({
    python,
    functionDir: fn,
    layerRoots: [first, second],
    handlerModule: 'app',
    modules: ['only_first', 'shared'],
    distributions: [],
    removed: new Map()
  });
  expect(result.failures).toEqual([]);
  expect(result.modules).toBe(3);

  const reversed = await verifyImports({
    python,
    functionDir: fn,
    layerRoots: [second, first],
    handlerModule: 'app',
    modules: [],
    distributions: [],
    removed: new Map()
  });
  expect(reversed.failures).toEqual([{ module: 'app', error: 'AssertionError: first', rule: undefined }]);
});
