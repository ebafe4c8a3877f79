import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { installRuntimePackage } from '../../src/install/runtime-packages.js';
import { platformFor } from '../../src/lambda/platform.js';
import { FAKE_INDEX } from '../helpers/fake-app.js';
import { fakeTools } from '../helpers/fake-tools.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-runtime-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

test("functions verified or invoked side by side share one install of the runtime's package, and later builds reuse it", async () => {
  const tools = fakeTools({ index: FAKE_INDEX });
  const site = path.join(base, 'cache', 'runtime-provided', 'python3.12-x86_64');
  const install = () =>
    installRuntimePackage({
      pip: tools.pipFake,
      platform: platformFor('python3.12', 'x86_64'),
      requirement: 'boto3',
      site,
      pipArgs: [],
      workDir: base,
      what: "the runtime's boto3"
    });
  expect(await Promise.all([install(), install(), install()])).toEqual([site, site, site]);
  expect(tools.pipFake.installs).toHaveLength(1);
  expect(existsSync(path.join(site, 'boto3'))).toBe(true);
  expect(await install()).toBe(site);
  expect(tools.pipFake.installs).toHaveLength(1);
});
