import { buildKey, installKey, stackedKey, type InstallOptions } from '../../src/plan/build-key.js';
import { platformFor } from '../../src/lambda/platform.js';
import { parseRequirements } from '../../src/plan/requirements.js';
import { TOOL_ID } from '../../src/shared/tool.js';

const FILE = '/repo/layers/deps/requirements.txt';
const PLAN_KEY = '0123456789abcdef0123456789abcdef';
const CONSTRAINTS = ['numpy==1.26.4', 'six==1.16.0', 'pytz==2024.1'];
const STACKED = stackedKey(PLAN_KEY, CONSTRAINTS);

describe('stackedKey', () => {
  test('is 32 lowercase hex characters', () => {
    expect(STACKED).toMatch(/^[0-9a-f]{32}$/);
  });

  test('the same inputs give the same key', () => {
    expect(stackedKey(PLAN_KEY, [...CONSTRAINTS])).toBe(STACKED);
  });

  test.each([[['six==1.16.0', 'pytz==2024.1', 'numpy==1.26.4']], [['pytz==2024.1', 'numpy==1.26.4', 'six==1.16.0']]])(
    'does not change with constraint order %j',
    (constraints) => {
      expect(stackedKey(PLAN_KEY, constraints)).toBe(STACKED);
    }
  );

  test.each<[string, string, string[]]>([
    ['a constraint version', PLAN_KEY, ['numpy==1.26.3', 'six==1.16.0', 'pytz==2024.1']],
    ['one constraint less', PLAN_KEY, ['numpy==1.26.4', 'six==1.16.0']],
    ['one constraint more', PLAN_KEY, [...CONSTRAINTS, 'idna==3.6']],
    ['no constraints', PLAN_KEY, []],
    ['the plan key', 'fedcba9876543210fedcba9876543210', CONSTRAINTS],
    ['constraints joined differently', PLAN_KEY, ['numpy==1.26.4,six==1.16.0', 'pytz==2024.1']]
  ])('changes with %s', (_label, planKey, constraints) => {
    expect(stackedKey(planKey, constraints)).not.toBe(STACKED);
  });

  test('stacking with no constraints still differs from the plan key', () => {
    expect(stackedKey(PLAN_KEY, [])).not.toBe(PLAN_KEY);
  });

  test('does not reorder its input', () => {
    const constraints = ['z==1', 'a==1'];
    stackedKey(PLAN_KEY, constraints);
    expect(constraints).toEqual(['z==1', 'a==1']);
  });
});

describe('installKey', () => {
  const options: InstallOptions = { installer: 'pip 24.0 (python 3.12)', pipArgs: ['--pre'], allowSdist: ['pure-a'] };
  const platform = platformFor('python3.12', 'x86_64');
  const requirements = parseRequirements('requests==2.31.0\n', FILE);
  const processing = { slim: { enabled: true, bytecode: 'bytecode', strip: true } };
  const BASE = installKey(options, platform, requirements, ['idna==3.6'], processing);

  test('is the build key of this tool with those inputs', () => {
    expect(BASE).toBe(
      buildKey({
        tool: TOOL_ID,
        installer: options.installer,
        platform,
        requirements,
        constraints: ['idna==3.6'],
        pipArgs: ['--pre'],
        allowSdist: ['pure-a'],
        processing
      })
    );
    expect(BASE).toMatch(/^[0-9a-f]{32}$/);
  });

  test.each<[string, Record<string, unknown>]>([
    ['slimming turned off', { slim: { enabled: false, bytecode: 'bytecode', strip: true } }],
    ['another bytecode mode', { slim: { enabled: true, bytecode: 'source', strip: true } }],
    ['stripping turned off', { slim: { enabled: true, bytecode: 'bytecode', strip: false } }],
    ['one more processing setting', { slim: { enabled: true, bytecode: 'bytecode', strip: true }, strip: 'GNU strip 2.40' }],
    ['no processing', {}]
  ])('changes with processing: %s', (_label, other) => {
    expect(installKey(options, platform, requirements, ['idna==3.6'], other)).not.toBe(BASE);
  });

  test('does not change with the key order of processing', () => {
    expect(installKey(options, platform, requirements, ['idna==3.6'], { slim: { strip: true, bytecode: 'bytecode', enabled: true } })).toBe(
      BASE
    );
  });

  test.each<[string, () => string]>([
    [
      'the installer',
      () => installKey({ ...options, installer: 'pip 25.0 (python 3.12)' }, platform, requirements, ['idna==3.6'], processing)
    ],
    ['pipArgs', () => installKey({ ...options, pipArgs: [] }, platform, requirements, ['idna==3.6'], processing)],
    ['allowSdist', () => installKey({ ...options, allowSdist: [] }, platform, requirements, ['idna==3.6'], processing)],
    ['the platform', () => installKey(options, platformFor('python3.12', 'arm64'), requirements, ['idna==3.6'], processing)],
    ['the constraints', () => installKey(options, platform, requirements, [], processing)]
  ])('changes with %s', (_label, key) => {
    expect(key()).not.toBe(BASE);
  });
});
