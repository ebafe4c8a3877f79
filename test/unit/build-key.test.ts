import { buildKey, type BuildInputs, withCode } from '../../src/plan/build-key.js';
import { platformFor } from '../../src/lambda/platform.js';
import { parseRequirements } from '../../src/plan/requirements.js';

const FILE = '/repo/layers/deps/requirements.txt';

function inputs(overrides: Partial<BuildInputs> = {}): BuildInputs {
  return {
    tool: 'lambda-layers@0.1.0',
    installer: 'pip 23.2.1 (python 3.11)',
    platform: platformFor('python3.12', 'x86_64'),
    requirements: parseRequirements('requests==2.31.0\nsix==1.16.0\n', FILE),
    constraints: ['idna==3.6', 'urllib3==2.2.1'],
    pipArgs: ['--index-url', 'https://pypi.org/simple'],
    allowSdist: ['pure-a', 'pure-b'],
    processing: { strip: true, bytecode: { optimize: 1, keepSource: false } },
    ...overrides
  };
}

const BASE = buildKey(inputs());

describe('buildKey', () => {
  test('is 32 lowercase hex characters', () => {
    expect(BASE).toMatch(/^[0-9a-f]{32}$/);
  });

  test('the same inputs give the same key', () => {
    expect(buildKey(inputs())).toBe(BASE);
  });

  test.each<[string, Partial<BuildInputs>]>([
    ['requirement order', { requirements: parseRequirements('six==1.16.0\nrequests==2.31.0\n', FILE) }],
    [
      'requirement spelling that normalizes the same',
      { requirements: parseRequirements('Requests == 2.31.0  # http\nSix==1.16.0\n', FILE) }
    ],
    ['line numbers of the requirements', { requirements: parseRequirements('\n\n# x\nrequests==2.31.0\n\nsix==1.16.0\n', FILE) }],
    ['constraint order', { constraints: ['urllib3==2.2.1', 'idna==3.6'] }],
    ['allowSdist order', { allowSdist: ['pure-b', 'pure-a'] }],
    ['processing key order, nested too', { processing: { bytecode: { keepSource: false, optimize: 1 }, strip: true } }],
    ['a copy of the platform', { platform: { ...platformFor('python3.12', 'x86_64') } }]
  ])('does not change with %s', (_label, overrides) => {
    expect(buildKey(inputs(overrides))).toBe(BASE);
  });

  const x86 = platformFor('python3.12', 'x86_64');
  test.each<[string, Partial<BuildInputs>]>([
    ['the tool version', { tool: 'lambda-layers@0.2.0' }],
    ['the pip version', { installer: 'pip 24.0 (python 3.11)' }],
    ['the Python running pip', { installer: 'pip 23.2.1 (python 3.12)' }],
    ['the installer: uv in place of pip', { installer: 'uv 0.13.9' }],
    ['the uv version', { installer: 'uv 0.13.10' }],
    ['the runtime', { platform: platformFor('python3.13', 'x86_64') }],
    ['the architecture', { platform: platformFor('python3.12', 'arm64') }],
    ['the platform tags', { platform: { ...x86, platformTags: x86.platformTags.slice(1) } }],
    ['the abi', { platform: { ...x86, abi: 'cp313' } }],
    ['a requirement version', { requirements: parseRequirements('requests==2.32.0\nsix==1.16.0\n', FILE) }],
    ['a requirement extra', { requirements: parseRequirements('requests[socks]==2.31.0\nsix==1.16.0\n', FILE) }],
    ['one more requirement', { requirements: parseRequirements('requests==2.31.0\nsix==1.16.0\nidna==3.6\n', FILE) }],
    ['an option line', { requirements: parseRequirements('--pre\nrequests==2.31.0\nsix==1.16.0\n', FILE) }],
    ['a constraint', { constraints: ['idna==3.7', 'urllib3==2.2.1'] }],
    ['no constraints', { constraints: [] }],
    ['pipArgs', { pipArgs: ['--index-url', 'https://mirror.example/simple'] }],
    ['pipArgs order', { pipArgs: ['https://pypi.org/simple', '--index-url'] }],
    ['allowSdist', { allowSdist: ['pure-a'] }],
    ['a processing value', { processing: { strip: false, bytecode: { optimize: 1, keepSource: false } } }],
    ['a nested processing value', { processing: { strip: true, bytecode: { optimize: 2, keepSource: false } } }],
    ['empty processing', { processing: {} }]
  ])('changes with %s', (_label, overrides) => {
    expect(buildKey(inputs(overrides))).not.toBe(BASE);
  });

  test('requirements and constraints are not interchangeable', () => {
    const a = buildKey(inputs({ requirements: parseRequirements('a==1\n', FILE), constraints: ['b==1'] }));
    const b = buildKey(inputs({ requirements: parseRequirements('b==1\n', FILE), constraints: ['a==1'] }));
    expect(a).not.toBe(b);
  });

  test('does not reorder its inputs', () => {
    const given = inputs({ constraints: ['z==1', 'a==1'], allowSdist: ['z', 'a'] });
    buildKey(given);
    expect(given.constraints).toEqual(['z==1', 'a==1']);
    expect(given.allowSdist).toEqual(['z', 'a']);
  });
});

describe('withCode', () => {
  test("a layer without code of its own keeps its key; its code's digest changes the key", () => {
    expect(withCode('k'.repeat(32), undefined)).toBe('k'.repeat(32));
    const a = withCode('k'.repeat(32), 'a'.repeat(64));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe('k'.repeat(32));
    expect(withCode('k'.repeat(32), 'b'.repeat(64))).not.toBe(a);
  });
});
