import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/shared/errors.js';
import { DEFAULT_CONFIG_NAME, resolveSettings } from '../../src/settings/settings.js';
import { actionInputsFrom, thrownBy } from './fixtures.js';

describe('resolveSettings', () => {
  let work: string;
  let withConfig: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-settings-'));
    withConfig = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-settings-config-'));
    await writeFile(path.join(withConfig, DEFAULT_CONFIG_NAME), 'limits: {}\n');
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await rm(withConfig, { recursive: true, force: true });
  });

  test('defaults, relative to the working directory', () => {
    expect(resolveSettings(actionInputsFrom({}), work, { XDG_CACHE_HOME: '/xdg' })).toEqual({
      workingDirectory: work,
      templateFile: path.join(work, 'template.yaml'),
      configFile: undefined,
      outDir: path.join(work, '.lambda-layers'),
      reportFile: path.join(work, '.lambda-layers', 'report.json'),
      cacheDir: '/xdg/lambda-layers',
      python: 'python3',
      installer: 'auto',
      allowSdist: [],
      slim: {},
      layers: []
    });
  });

  test('empty strings (unset action inputs) mean the defaults', () => {
    const settings = resolveSettings(
      actionInputsFrom({
        'working-directory': '',
        template: '',
        config: '',
        out: '',
        report: '',
        'cache-dir': '',
        python: '',
        'allow-sdist': ''
      }),
      work,
      {
        XDG_CACHE_HOME: '/xdg'
      }
    );
    expect(settings).toEqual(resolveSettings(actionInputsFrom({}), work, { XDG_CACHE_HOME: '/xdg' }));
  });

  test('without XDG_CACHE_HOME the cache is under ~/.cache', () => {
    expect(resolveSettings(actionInputsFrom({}), work, {}).cacheDir).toBe(path.join(os.homedir(), '.cache', 'lambda-layers'));
  });

  test('every value given, resolved against the working directory', () => {
    const parent = path.dirname(work);
    const settings = resolveSettings(
      actionInputsFrom({
        'working-directory': path.basename(work),
        template: 'sam/template.yml',
        config: 'conf/layers.yaml',
        out: 'build',
        report: 'reports/size.json',
        'cache-dir': '.cache',
        python: '/usr/bin/python3.12',
        installer: 'pip',
        'allow-sdist': 'a, b',
        layers: 'CoreLayer,\nMlLayer'
      }),
      parent,
      {}
    );
    expect(settings).toEqual({
      workingDirectory: work,
      templateFile: path.join(work, 'sam/template.yml'),
      configFile: path.join(work, 'conf/layers.yaml'),
      outDir: path.join(work, 'build'),
      reportFile: path.join(work, 'reports/size.json'),
      cacheDir: path.join(work, '.cache'),
      python: '/usr/bin/python3.12',
      installer: 'pip',
      allowSdist: ['a', 'b'],
      slim: {},
      layers: ['CoreLayer', 'MlLayer']
    });
  });

  test('the report follows the output folder when not given', () => {
    expect(resolveSettings(actionInputsFrom({ out: 'dist/layers' }), work, {}).reportFile).toBe(path.join(work, 'dist/layers/report.json'));
  });

  test(`${DEFAULT_CONFIG_NAME} in the working directory is used when present`, () => {
    expect(resolveSettings(actionInputsFrom({}), withConfig, {}).configFile).toBe(path.join(withConfig, DEFAULT_CONFIG_NAME));
  });

  test('parameter-overrides: SAM pairs, one or more per line (a repeated CLI flag is joined by lines); unset when empty', () => {
    expect(
      resolveSettings(actionInputsFrom({ 'parameter-overrides': 'Env=prod Msg="a b"\nArch=arm64' }), work, {}).parameterOverrides
    ).toEqual({
      Env: 'prod',
      Msg: 'a b',
      Arch: 'arm64'
    });
    expect(resolveSettings(actionInputsFrom({ 'parameter-overrides': '  ' }), work, {})).not.toHaveProperty('parameterOverrides');
    const error = thrownBy(() => resolveSettings(actionInputsFrom({ 'parameter-overrides': 'Env' }), work, {}));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^input parameter-overrides: "Env" is not a Key=Value pair/);
  });

  test('a working directory that does not exist is an InputError', () => {
    const missing = path.join(work, 'nope');
    const error = thrownBy(() => resolveSettings(actionInputsFrom({ 'working-directory': 'nope' }), work, {}));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`working-directory ${missing} does not exist`);
  });
});
