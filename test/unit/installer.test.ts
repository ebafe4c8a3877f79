import { chooseInstaller, type InstallerFacts } from '../../src/install/choose-installer.js';
import { uvErrors } from '../../src/install/pip-diagnosis.js';
import { platformFor } from '../../src/lambda/platform.js';
import { resolveSettings } from '../../src/settings/settings.js';
import { InputError } from '../../src/shared/errors.js';
import { sourceSettings } from '../../src/tools/pip.js';
import { uvInstallArgs, uvPlatform, uvVersion } from '../../src/tools/uv.js';
import { actionInputsFrom, thrownBy } from './fixtures.js';

const PY312 = platformFor('python3.12', 'x86_64');
const PY312_ARM = platformFor('python3.12', 'arm64');
const PY311 = platformFor('python3.11', 'x86_64');

function facts(overrides: Partial<InstallerFacts> = {}): InstallerFacts {
  return { setting: 'auto', uv: 'uv 0.13.9', platforms: [PY312], pipSources: [], pipArgs: [], ...overrides };
}

describe('chooseInstaller', () => {
  test('auto takes uv when it is found and sees what pip sees', () => {
    expect(chooseInstaller(facts())).toEqual({ use: 'uv' });
  });

  test.each<[string, Partial<InstallerFacts>, RegExp]>([
    ['uv is not found', { uv: undefined }, /uv was not found/],
    ['a runtime on a glibc uv cannot target (Amazon Linux 2)', { platforms: [PY312, PY311] }, /no target for python3\.11 \(glibc 2\.26\)/],
    ["pip's configuration names an index", { pipSources: ['PIP_INDEX_URL'] }, /sets PIP_INDEX_URL, which uv does not read/],
    ['pipArgs are given', { pipArgs: ['--index-url', 'https://mirror.example/simple'] }, /pipArgs/]
  ])('auto falls back to pip, saying why, when %s', (_label, overrides, why) => {
    const choice = chooseInstaller(facts(overrides));
    expect(choice.use).toBe('pip');
    expect(choice.why).toMatch(why);
  });

  test('pip is pip, whatever uv there is', () => {
    expect(chooseInstaller(facts({ setting: 'pip' }))).toEqual({ use: 'pip' });
  });

  test("uv asked for is uv, even with pip's sources set (the user chose)", () => {
    expect(chooseInstaller(facts({ setting: 'uv', pipSources: ['PIP_INDEX_URL'], pipArgs: ['--pre'] }))).toEqual({ use: 'uv' });
  });

  test.each<[string, Partial<InstallerFacts>, RegExp]>([
    ['uv is not found', { uv: undefined }, /installer uv: uv was not found/],
    ['a runtime uv cannot target', { platforms: [PY311] }, /installer uv: uv has no target for python3\.11/]
  ])('uv asked for is an InputError when %s', (_label, overrides, message) => {
    const error = thrownBy(() => chooseInstaller(facts({ setting: 'uv', ...overrides })));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('uv arguments', () => {
  test("uv's target is the runtime's manylinux glibc and machine", () => {
    expect(uvPlatform(PY312)).toBe('x86_64-manylinux_2_34');
    expect(uvPlatform(PY312_ARM)).toBe('aarch64-manylinux_2_34');
    expect(uvPlatform(PY311)).toBeUndefined();
  });

  test('an install: wheels only, for the target, copied into the folder, with constraints, find-links and pipArgs', () => {
    const args = uvInstallArgs(
      {
        platform: PY312_ARM,
        requirementsFile: '/w/requirements.txt',
        constraintsFile: '/w/constraints.txt',
        targetDir: '/out/python',
        findLinks: ['/w/wheels'],
        pipArgs: ['--index-url', 'https://mirror.example/simple']
      },
      'python3'
    );
    expect(args).toEqual([
      'pip',
      'install',
      '--target',
      '/out/python',
      '--python',
      'python3',
      '--python-platform',
      'aarch64-manylinux_2_34',
      '--python-version',
      '3.12',
      '--only-binary',
      ':all:',
      '--link-mode',
      'copy',
      '--no-progress',
      '--constraints',
      '/w/constraints.txt',
      '--find-links',
      '/w/wheels',
      '--index-url',
      'https://mirror.example/simple',
      '--requirements',
      '/w/requirements.txt'
    ]);
  });

  test('no constraints, no find-links: neither option', () => {
    const args = uvInstallArgs(
      { platform: PY312, requirementsFile: '/w/r.txt', targetDir: '/t', findLinks: [], pipArgs: [] },
      '/usr/bin/python3'
    );
    expect(args).not.toContain('--constraints');
    expect(args).not.toContain('--find-links');
    expect(args.slice(-2)).toEqual(['--requirements', '/w/r.txt']);
  });

  test('a platform uv cannot target is refused, not guessed', () => {
    expect(() =>
      uvInstallArgs({ platform: PY311, requirementsFile: '/r', targetDir: '/t', findLinks: [], pipArgs: [] }, 'python3')
    ).toThrow(/uv cannot target python3\.11/);
  });

  test('the version from `uv --version`', () => {
    expect(uvVersion('uv 0.13.9 (x86_64-unknown-linux-gnu)\n')).toBe('0.13.9');
    expect(uvVersion('uv 0.5.1 (f399a5271 2024-11-08)')).toBe('0.5.1');
    expect(uvVersion('uvicorn 0.30.0')).toBeUndefined();
    expect(uvVersion('')).toBeUndefined();
  });
});

describe("pip's configured sources", () => {
  test('index, extra index, find-links, no-index and constraint, from files and the environment; nothing else, nothing empty', () => {
    const list = [
      ":env:.cert='/etc/ssl/certs/ca-certificates.crt'",
      ":env:.find-links='/opt/wheels'",
      ":env:.index-url='https://mirror.example/simple'",
      "global.cert='/etc/ssl/certs/ca-certificates.crt'",
      "global.constraint='/etc/xdg/pip/constraints.txt'",
      "global.extra-index-url='file:///opt/pypi/simple'",
      "install.no-index='true'",
      "global.timeout='60'",
      ":env:.extra-index-url=''"
    ].join('\n');
    expect(sourceSettings(list)).toEqual([
      'PIP_FIND_LINKS',
      'PIP_INDEX_URL',
      'constraint (pip.conf [global])',
      'extra-index-url (pip.conf [global])',
      'no-index (pip.conf [install])'
    ]);
    expect(sourceSettings('')).toEqual([]);
  });
});

describe("uv's error as one line", () => {
  test('from its first error line on', () => {
    const output = [
      'Using Python 3.11.7 environment at: /usr',
      '  × No solution found when resolving dependencies:',
      '  ╰─▶ Because there is no version of tinypkg==9.9 and you require tinypkg==9.9, we can conclude that your requirements are unsatisfiable.',
      ''
    ].join('\n');
    expect(uvErrors(output)).toBe(
      '× No solution found when resolving dependencies: ╰─▶ Because there is no version of tinypkg==9.9 and you require tinypkg==9.9, we can conclude that your requirements are unsatisfiable.'
    );
    expect(uvErrors("error: unexpected argument '--bogus' found\n\nUsage: uv pip install")).toBe(
      "error: unexpected argument '--bogus' found Usage: uv pip install"
    );
  });
});

describe('the installer setting', () => {
  test('auto by default; pip and uv as given', () => {
    expect(resolveSettings(actionInputsFrom({}), process.cwd(), {}).installer).toBe('auto');
    expect(resolveSettings(actionInputsFrom({ installer: 'uv' }), process.cwd(), {}).installer).toBe('uv');
    expect(resolveSettings(actionInputsFrom({ installer: 'pip' }), process.cwd(), {}).installer).toBe('pip');
  });

  test('anything else is an InputError naming the input and the choices', () => {
    const error = thrownBy(() => resolveSettings(actionInputsFrom({ installer: 'poetry' }), process.cwd(), {}));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/installer must be one of auto, pip, uv, got "poetry"/);
  });
});
