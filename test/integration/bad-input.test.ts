import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { makeSampleApp, runCli, TEMPLATE, type SampleApp } from '../helpers/sample-app.js';

/** Every file and link of the repo but the output folder, with a hash of its content or the link's target. */
async function fingerprint(repo: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const rel of (await readdir(repo, { recursive: true })).sort()) {
    if (rel.startsWith('.lambda-layers')) continue;
    const full = path.join(repo, rel);
    const info = await lstat(full);
    if (info.isSymbolicLink()) result[rel] = `-> ${await readlink(full)}`;
    else if (info.isFile())
      result[rel] = createHash('sha256')
        .update(await readFile(full))
        .digest('hex');
  }
  return result;
}

interface Case {
  name: string;
  files?: Record<string, string>;
  prepare?: (app: SampleApp) => Promise<void>;
  args?: string[];
  code: 1 | 2;
  /** Strings the error must contain (the file and the problem). */
  messages: (app: SampleApp) => string[];
}

const CORE_REQ = 'layers/core/requirements.txt';

const cases: Case[] = [
  {
    name: 'no template',
    args: ['--template', 'missing.yaml'],
    code: 2,
    messages: (app) => [`${path.join(app.repo, 'missing.yaml')}: template not found`]
  },
  {
    name: 'malformed YAML',
    files: { 'template.yaml': 'Resources:\n  A: [unclosed\n  B: 1\n' },
    code: 2,
    messages: (app) => [`${path.join(app.repo, 'template.yaml')}:`, 'malformed template']
  },
  {
    name: 'a ContentUri outside the repository',
    files: { 'template.yaml': TEMPLATE.replace('ContentUri: layers/core/', 'ContentUri: ../../etc') },
    code: 2,
    messages: () => ['template.yaml:12:', 'ContentUri "../../etc" points outside the repository']
  },
  {
    name: 'a CodeUri outside the repository',
    files: { 'template.yaml': TEMPLATE.replace('CodeUri: functions/validate/', 'CodeUri: ../../etc') },
    code: 2,
    messages: () => ['template.yaml:26:', 'CodeUri "../../etc" points outside the repository']
  },
  {
    name: 'a symlink in a function folder that points outside it',
    prepare: (app) => symlink('/etc/passwd', path.join(app.repo, 'functions/validate/passwd')),
    code: 2,
    messages: (app) => [path.join(app.repo, 'functions/validate/passwd'), 'symlink passwd points outside its folder (to /etc/passwd)']
  },
  {
    name: 'a symlink in a layer folder that points outside it',
    prepare: (app) => symlink('../../functions', path.join(app.repo, 'layers/core/escape')),
    code: 2,
    messages: () => ['symlink escape points outside its folder (to ../../functions)']
  },
  {
    name: 'an unknown runtime',
    files: { 'template.yaml': TEMPLATE.replace('Runtime: python3.12', 'Runtime: python3.99') },
    code: 2,
    messages: () => ['template.yaml:26:', 'unknown or unsupported runtime "python3.99"']
  },
  {
    name: 'a function that references a layer missing from the template',
    files: { 'template.yaml': TEMPLATE.replace('Layers: [!Ref CoreLayer]', 'Layers: [!Ref GoneLayer]') },
    code: 2,
    messages: () => ['template.yaml:26:', '!Ref GoneLayer: no parameter, resource or pseudo-parameter of that name in the template']
  },
  {
    name: 'a config file with an unknown key',
    files: { 'lambda-layers.yaml': 'limit: {}\n' },
    code: 2,
    messages: (app) => [`${path.join(app.repo, 'lambda-layers.yaml')}: unknown key "limit"`]
  },
  {
    name: 'an unknown flag',
    args: ['--tempalte', 'x.yaml'],
    code: 2,
    messages: () => ["Unknown option '--tempalte'"]
  },
  {
    name: 'a requirement that does not exist',
    files: { [CORE_REQ]: 'tiny-core==1.0\ntiny-nosuch==1.0\n' },
    code: 1,
    messages: (app) => [
      `${path.join(app.repo, CORE_REQ)}:2: layer CoreLayer: requirement "tiny-nosuch==1.0": no release of tiny-nosuch==1.0 was found`
    ]
  },
  {
    name: 'an sdist-only requirement',
    files: { [CORE_REQ]: 'tiny-source==1.0\n' },
    code: 1,
    messages: (app) => [
      `${path.join(app.repo, CORE_REQ)}:1: layer CoreLayer: requirement "tiny-source==1.0": only a source distribution of tiny-source==1.0 is available (tiny_source-1.0.tar.gz)`,
      'allow-sdist'
    ]
  },
  {
    name: 'an allowed sdist whose build fails',
    files: { [CORE_REQ]: 'tiny-source==1.0\n' },
    args: ['--allow-sdist', 'tiny-source'],
    code: 1,
    messages: () => ['layer CoreLayer: building allowed sdist "tiny-source==1.0" failed']
  },
  {
    name: 'a requirement with no wheel for the runtime',
    files: { [CORE_REQ]: 'tiny-new-glibc==1.0\n' },
    code: 1,
    messages: () => [
      'requirement "tiny-new-glibc==1.0": no wheel of tiny-new-glibc==1.0 loads on python3.12 x86_64',
      'tiny_new_glibc-1.0-cp312-cp312-manylinux_2_39_x86_64.whl'
    ]
  }
];

describe('bad input: a clear error, the exit code, nothing written outside the output folder', () => {
  test.each(cases)('$name', async ({ files, prepare, args = [], code, messages }) => {
    const app = await makeSampleApp(files);
    try {
      await prepare?.(app);
      const before = await fingerprint(app.repo);
      const marker = path.join(app.base, 'SDIST_BUILD_RAN');
      const result = await runCli(app, ['build', ...args], { FAKE_SDIST_MARKER: marker });
      expect(result.code).toBe(code);
      for (const message of messages(app)) expect(result.stderr).toContain(message);
      expect(await fingerprint(app.repo)).toEqual(before);
      expect(existsSync(app.cache)).toBe(false);
      if (code === 2) expect(existsSync(path.join(app.repo, '.lambda-layers'))).toBe(false);
      // An sdist's setup code never runs unless allowed (and when allowed here, the build
      // fails even earlier: the test index has no setuptools for pip's isolated build).
      expect(existsSync(marker)).toBe(false);
    } finally {
      await rm(app.base, { recursive: true, force: true });
    }
  });
});

test('the help lists the commands and exit codes', async () => {
  const app = await makeSampleApp();
  const result = await runCli(app, ['--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Usage: lambda-layers <build|check>');
  expect(result.stdout).toContain('2 bad input');
  await rm(app.base, { recursive: true, force: true });
});
