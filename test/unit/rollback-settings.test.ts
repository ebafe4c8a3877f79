import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/shared/errors.js';
import { resolveRollbackSettings } from '../../src/rollback/run-rollback.js';
import { thrownBy } from './fixtures.js';

// The working directory must exist; nothing else is read.
const CWD = os.tmpdir();

describe('resolveRollbackSettings', () => {
  test('defaults: the manifest in the output folder, the region from the environment', () => {
    expect(resolveRollbackSettings({}, CWD, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' }, '--parameter')).toEqual({
      manifestFile: path.join(CWD, '.lambda-layers', 'rollback-manifest.json'),
      region: 'eu-west-1',
      print: false,
      parameterNames: {},
      parameterNamesInput: '--parameter'
    });
  });

  test.each<[string | undefined, NodeJS.ProcessEnv, string | undefined]>([
    ['ap-south-1', { AWS_REGION: 'eu-west-1' }, 'ap-south-1'],
    ['', { AWS_REGION: 'eu-west-1' }, 'eu-west-1'],
    [undefined, { AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
    // None anywhere: the manifest's region is used.
    ['', {}, undefined]
  ])('region %j with %j -> %j', (region, env, expected) => {
    expect(resolveRollbackSettings({ region }, CWD, env, '--parameter').region).toBe(expected);
  });

  test('the manifest relative to the working directory; parameter names from repeated flags or one list', () => {
    const fromFlags = resolveRollbackSettings(
      { manifest: 'out/m.json', print: true, parameterNames: ['CoreLayer=CoreArn', 'MlLayer=MlArn'] },
      CWD,
      {},
      '--parameter'
    );
    expect(fromFlags.manifestFile).toBe(path.join(CWD, 'out/m.json'));
    expect(fromFlags.parameterNames).toEqual({ CoreLayer: 'CoreArn', MlLayer: 'MlArn' });
    const fromInput = resolveRollbackSettings(
      { out: 'build', print: true, parameterNames: 'CoreLayer=CoreArn,\nMlLayer=MlArn' },
      CWD,
      {},
      'parameter-names'
    );
    expect(fromInput.parameterNames).toEqual(fromFlags.parameterNames);
    expect(fromInput.manifestFile).toBe(path.join(CWD, 'build', 'rollback-manifest.json'));
  });

  test.each<[string, Parameters<typeof resolveRollbackSettings>[0], string]>([
    ['parameter names without print mode', { parameterNames: ['CoreLayer=CoreArn'] }, '--parameter only applies to print mode'],
    [
      'a malformed pair',
      { print: true, parameterNames: ['CoreLayer:CoreArn'] },
      '--parameter: expected LogicalId=ParameterName, got "CoreLayer:CoreArn"'
    ],
    [
      'a working directory that does not exist',
      { workingDirectory: 'no/such/dir' },
      `working-directory ${path.join(CWD, 'no/such/dir')} does not exist`
    ]
  ])('%s', (_, raw, message) => {
    const error = thrownBy(() => resolveRollbackSettings(raw, CWD, {}, '--parameter')) as Error;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(message);
  });
});
