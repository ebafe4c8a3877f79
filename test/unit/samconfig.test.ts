import { parseSamConfig } from '../../src/template/samconfig.js';
import { inputErrorFrom, lines } from './fixtures.js';

const FILE = '/repo/samconfig.toml';

describe('parseSamConfig', () => {
  test('the default environment: build over global; stack_name also from deploy', () => {
    const text = lines(
      'version = 0.1',
      '[default.global.parameters]',
      'parameter_overrides = "Env=global Region=x"',
      'region = "eu-west-1"',
      '[default.build.parameters]',
      'parameter_overrides = "Env=build Arch=arm64"',
      '[default.deploy.parameters]',
      'stack_name = "my-app"',
      '[prod.build.parameters]',
      'parameter_overrides = "Env=prod"'
    );
    expect(parseSamConfig(text, FILE)).toEqual({
      file: FILE,
      parameterOverrides: { Env: 'build', Arch: 'arm64' },
      stackName: 'my-app',
      region: 'eu-west-1'
    });
  });

  test('the global section when build has none; a list of pairs', () => {
    const text = lines('version = 0.1', '[default.global.parameters]', 'parameter_overrides = ["Env=dev", "Msg=\\"a b\\""]');
    expect(parseSamConfig(text, FILE).parameterOverrides).toEqual({ Env: 'dev', Msg: 'a b' });
  });

  test('no parameters at all', () => {
    expect(parseSamConfig('version = 0.1\n', FILE)).toEqual({ file: FILE, parameterOverrides: {} });
  });

  test.each([
    ['version = 0.1\n[default.build.parameters\n', `${FILE}:2: malformed samconfig.toml: `],
    [
      '[default.build.parameters]\nparameter_overrides = 3\n',
      `${FILE}: samconfig.toml: parameter_overrides must be a string or a list of strings`
    ],
    [
      '[default.build.parameters]\nparameter_overrides = "junk"\n',
      `${FILE}: samconfig.toml parameter_overrides: "junk" is not a Key=Value pair`
    ],
    ['[default.deploy.parameters]\nstack_name = 1\n', `${FILE}: samconfig.toml: stack_name must be a string`]
  ])('%j is bad input, located', (text, message) => {
    expect(inputErrorFrom(() => parseSamConfig(text, FILE)).message).toContain(message);
  });
});
