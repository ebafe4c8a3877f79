import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { platformFor } from '../../src/lambda/platform.js';
import { DEFAULT_SLIM, type SlimSettings } from '../../src/settings/slim-settings.js';
import { slimSite, type SlimRequest } from '../../src/slim/slim-site.js';
import { FAKE_INDEX } from '../helpers/fake-app.js';
import { FakePip, FakePython, FakeStrip } from '../helpers/fake-tools.js';

let dir: string;
let siteDir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-slim-'));
  siteDir = path.join(dir, 'site');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** pip (the fake) installs the requirements into the site folder, as the build does before slimming. */
async function install(requirements: string): Promise<void> {
  const requirementsFile = path.join(dir, 'requirements.txt');
  await writeFile(requirementsFile, requirements);
  const result = await new FakePip(FAKE_INDEX).install({
    platform: platformFor('python3.12', 'x86_64'),
    requirementsFile,
    targetDir: siteDir,
    findLinks: [],
    pipArgs: []
  });
  expect(result.ok).toBe(true);
}

function request(settings: Partial<SlimSettings> = {}, extra: Partial<SlimRequest> = {}): SlimRequest {
  return {
    siteDir,
    settings: { ...DEFAULT_SLIM, ...settings },
    provided: [],
    python: new FakePython(),
    deployedAt: '/opt/python',
    pythonVersion: '3.12',
    strip: new FakeStrip(),
    ...extra
  };
}

const site = (rel: string) => path.join(siteDir, rel);
const read = (rel: string) => readFile(site(rel), 'utf8');

describe('slimSite', () => {
  test('prunes by rule, strips, and compiles sourceless bytecode named for where it is deployed', async () => {
    await install('core-lib==1.0\n');
    const log = await slimSite(request());
    expect(log.removed.map((r) => [r.rule, r.files]).sort()).toEqual([
      ['pip-bookkeeping', 1],
      ['tests', 1],
      ['type-stubs', 1]
    ]);
    expect(existsSync(site('core_lib/tests/test_util.py'))).toBe(false);
    expect(log.strip).toMatchObject({ files: 1, restored: [expect.stringMatching(/^core_lib\/_fragile\.so: .*undefined symbol/)] });
    expect(await read('core_lib/_speed.so')).toBe('ELF code');
    expect(log.bytecode).toEqual({
      mode: 'bytecode',
      python: '3.12.1',
      interpreter: '/fake/python3.12.1 (x86_64)',
      magic: 'cb0d0d0a',
      files: 2
    });
    expect(existsSync(site('core_lib/util.py'))).toBe(false);
    expect(await read('core_lib/util.pyc')).toMatch(/^fake-pyc -O0 \/opt\/python\/core_lib\/util\.py\n/);
    // RECORD lists what ships: the .pyc for its source, nothing pruned.
    const record = await read('core_lib-1.0.dist-info/RECORD');
    expect(record).toContain('core_lib/util.pyc,,');
    expect(record).not.toMatch(/test_util|util\.pyi|INSTALLER|util\.py,/);
    expect(log.afterBytes).toBeLessThan(log.beforeBytes);
  });

  test('optimized bytecode is compiled as -OO; source+bytecode keeps the sources', async () => {
    await install('core-lib==1.0\n');
    await slimSite(request({ bytecode: 'optimized' }, { deployedAt: '/var/task' }));
    expect(await read('core_lib/util.pyc')).toMatch(/^fake-pyc -O2 \/var\/task\/core_lib\/util\.py\n/);

    await rm(siteDir, { recursive: true });
    await install('core-lib==1.0\n');
    const log = await slimSite(request({ bytecode: 'source+bytecode' }));
    expect(existsSync(site('core_lib/util.py'))).toBe(true);
    expect(existsSync(site('core_lib/__pycache__/util.cpython-312.pyc'))).toBe(true);
    expect(log.bytecode.files).toBe(2);
  });

  test('without the runtime Python: no strip, no bytecode, each skipped with the reason', async () => {
    await install('core-lib==1.0\n');
    const { python: _none, ...withoutPython } = request();
    const log = await slimSite(withoutPython);
    expect(log.strip.skipped).toBe('no CPython 3.12 was found, for any CPU (see "pythons" in the config file)');
    expect(log.bytecode).toEqual({
      mode: 'bytecode',
      files: 0,
      skipped: `no CPython 3.12 was found, for any CPU (see "pythons" in the config file): shipped without bytecode, never with another version's`
    });
    expect(existsSync(site('core_lib/util.py'))).toBe(true);
    expect(await read('core_lib/_speed.so')).toMatch(/\.symtab/);
  });

  test("with the version's CPython on another CPU only: the same bytecode, only ELF files are stripped (checked, not loaded)", async () => {
    await install('core-lib==1.0\n');
    const log = await slimSite(request({}, { python: new FakePython('3.12.1', false) }));
    expect(log.bytecode).toMatchObject({ python: '3.12.1', interpreter: '/fake/python3.12.1 (other-cpu)', magic: 'cb0d0d0a', files: 2 });
    expect(await read('core_lib/util.pyc')).toMatch(/^fake-pyc -O0 \/opt\/python\/core_lib\/util\.py\n/);
    // The fake modules are not ELF: nothing here can judge them, so they are left as they are.
    expect(log.strip).toEqual({ files: 0, bytesSaved: 0, restored: [] });
    expect(await read('core_lib/_speed.so')).toMatch(/\.symtab/);

    const { strip: _none, ...withoutStrip } = request({}, { python: new FakePython('3.12.1', false) });
    expect((await slimSite(withoutStrip)).strip.skipped).toMatch(/^no strip for this architecture's files is installed \(llvm-strip/);
  });

  test('without strip installed, stripping is skipped and bytecode still compiled', async () => {
    await install('core-lib==1.0\n');
    const { strip: _none, ...withoutStrip } = request();
    const log = await slimSite(withoutStrip);
    expect(log.strip.skipped).toBe('strip (binutils) is not installed');
    expect(log.bytecode.files).toBe(2);
  });

  test('what the layers below provide is left out, slimming on or off', async () => {
    await install('ml-lib==0.5\n');
    const provided = [{ layer: 'CoreLayer', names: ['core-lib'] }];
    const log = await slimSite(request({ enabled: false }, { provided }));
    expect(log.deduped).toEqual(['core-lib']);
    expect(log.removed.map((r) => r.rule)).toEqual(['provided-by:CoreLayer']);
    expect(existsSync(site('core_lib/__init__.py'))).toBe(false);
    expect(existsSync(site('core_lib-1.0.dist-info/RECORD'))).toBe(false);
    // Slimming off: nothing else is touched.
    expect(existsSync(site('ml_lib/__init__.py'))).toBe(true);
    expect(existsSync(site('ml_lib-0.5.dist-info/INSTALLER'))).toBe(true);
  });
});
