import os from 'node:os';
import path from 'node:path';
import { ROLLBACK_OPTIONS } from '../../src/cli/options.js';
import { InputError } from '../../src/shared/errors.js';
import { resolveRollbackSettings } from '../../src/rollback/run-rollback.js';
import { actionInputsFrom, cliInputsFrom, thrownBy } from './fixtures.js';

// The working directory must exist; nothing else is read.
const CWD = os.tmpdir();
const flags = (...args: string[]) => cliInputsFrom(args, ROLLBACK_OPTIONS);

describe('resolveRollbackSettings', () => {
  test('defaults: the manifest in the output folder, the region from the environment', () => {
    expect(resolveRollbackSettings(flags(), CWD, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' })).toEqual({
      manifestFile: path.join(CWD, '.lambda-layers', 'rollback-manifest.json'),
      region: 'eu-west-1',
      print: false,
      parameterNames: {},
      parameterNamesInput: '--parameter'
    });
  });

  test.each<[string, NodeJS.ProcessEnv, string | undefined]>([
    ['ap-south-1', { AWS_REGION: 'eu-west-1' }, 'ap-south-1'],
    ['', { AWS_REGION: 'eu-west-1' }, 'eu-west-1'],
    ['', { AWS_DEFAULT_REGION: 'us-west-2' }, 'us-west-2'],
    // None anywhere: the manifest's region is used.
    ['', {}, undefined]
  ])('region %j with %j -> %j', (region, env, expected) => {
    expect(resolveRollbackSettings(actionInputsFrom({ region }), CWD, env).region).toBe(expected);
  });

  test('the manifest relative to the working directory; parameter names from repeated flags or one list', () => {
    const fromFlags = resolveRollbackSettings(
      flags('--manifest', 'out/m.json', '--print', '--parameter', 'CoreLayer=CoreArn', '--parameter', 'MlLayer=MlArn'),
      CWD,
      {}
    );
    expect(fromFlags.manifestFile).toBe(path.join(CWD, 'out/m.json'));
    expect(fromFlags.parameterNames).toEqual({ CoreLayer: 'CoreArn', MlLayer: 'MlArn' });
    expect(fromFlags.print).toBe(true);
    const fromInput = resolveRollbackSettings(
      actionInputsFrom({ out: 'build', 'rollback-mode': 'print', 'parameter-names': 'CoreLayer=CoreArn,\nMlLayer=MlArn' }),
      CWD,
      {}
    );
    expect(fromInput.parameterNames).toEqual(fromFlags.parameterNames);
    expect(fromInput.manifestFile).toBe(path.join(CWD, 'build', 'rollback-manifest.json'));
    expect(fromInput.parameterNamesInput).toBe('input parameter-names');
  });

  test.each<[string, ReturnType<typeof flags>, string]>([
    ['parameter names without print mode (flags)', flags('--parameter', 'CoreLayer=CoreArn'), '--parameter only applies to print mode'],
    [
      'parameter names without print mode (inputs)',
      actionInputsFrom({ 'parameter-names': 'CoreLayer=CoreArn' }),
      'input parameter-names only applies to print mode'
    ],
    [
      'a malformed pair',
      flags('--print', '--parameter', 'CoreLayer:CoreArn'),
      '--parameter: expected LogicalId=ParameterName, got "CoreLayer:CoreArn"'
    ],
    [
      'a rollback mode that is neither',
      actionInputsFrom({ 'rollback-mode': 'undo' }),
      'input rollback-mode must be update or print, got "undo"'
    ],
    [
      'a working directory that does not exist',
      flags('--working-directory', 'no/such/dir'),
      `working-directory ${path.join(CWD, 'no/such/dir')} does not exist`
    ]
  ])('%s', (_, inputs, message) => {
    const error = thrownBy(() => resolveRollbackSettings(inputs, CWD, {})) as Error;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(message);
  });
});
