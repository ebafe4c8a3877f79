import { forTarget, parseRequirements, pipLine, targetRequirementsText } from '../../src/plan/requirements.js';
import { markerEnvironment, platformKey } from '../../src/lambda/marker-environment.js';
import { platformFor } from '../../src/lambda/platform.js';
import { planBuild } from '../../src/plan/plan.js';
import { functionSpec, layerSpec, makeApp, makeConfig, makeSettings } from './fixtures.js';

const FILE = '/repo/layers/deps/requirements.txt';
const TEXT = [
  "numpy==2.1.3; python_version >= '3.10'",
  "numpy<1.20.3 ; python_version < '3.10'",
  'six==1.16.0',
  "tiny-arm==1.0; platform_machine == 'aarch64' --hash=sha256:abc"
].join('\n');
const PY39 = platformFor('python3.9', 'x86_64');
const PY312_ARM = platformFor('python3.12', 'arm64');
const VERDICTS = new Map([
  [
    "python_version >= '3.10'",
    new Map([
      [platformKey(PY39), false],
      [platformKey(PY312_ARM), true]
    ])
  ],
  [
    "python_version < '3.10'",
    new Map([
      [platformKey(PY39), true],
      [platformKey(PY312_ARM), false]
    ])
  ],
  [
    "platform_machine == 'aarch64'",
    new Map([
      [platformKey(PY39), false],
      [platformKey(PY312_ARM), true]
    ])
  ]
]);

describe('requirements for a target', () => {
  const file = parseRequirements(TEXT, FILE);

  test('the marker is kept apart from the line', () => {
    expect(file.requirements.map((r) => r.marker)).toEqual([
      "python_version >= '3.10'",
      "python_version < '3.10'",
      undefined,
      "platform_machine == 'aarch64'"
    ]);
  });

  test('only the lines whose markers hold on the target are kept', () => {
    expect(forTarget(file, VERDICTS, platformKey(PY39)).requirements.map((r) => r.line)).toEqual([
      "numpy<1.20.3 ; python_version < '3.10'",
      'six==1.16.0'
    ]);
    expect(forTarget(file, VERDICTS, platformKey(PY312_ARM)).requirements.map((r) => r.lineNumber)).toEqual([1, 3, 4]);
  });

  test('a marker that was not evaluated is a programming error, never a silent pass', () => {
    expect(() => forTarget(file, new Map(), platformKey(PY39))).toThrow(
      `marker "python_version >= '3.10'" was not evaluated for python3.9/x86_64`
    );
  });

  test('pip gets the lines without their markers, hashes kept, relative find-links made absolute', () => {
    expect(file.requirements.map(pipLine)).toEqual(['numpy==2.1.3', 'numpy<1.20.3', 'six==1.16.0', 'tiny-arm==1.0 --hash=sha256:abc']);
    const withOptions = parseRequirements(
      '--find-links ./wheels\n-f https://x.example/w\n--index-url https://i.example\nsix==1.16.0\n',
      FILE
    );
    expect(targetRequirementsText(withOptions, '/repo/layers/deps')).toBe(
      '-f /repo/layers/deps/wheels\n-f https://x.example/w\n--index-url https://i.example\nsix==1.16.0\n'.replace(
        '-f /repo',
        '--find-links /repo'
      )
    );
  });

  test('the marker environment is the target runtime on Linux, not the host', () => {
    expect(markerEnvironment(PY312_ARM)).toMatchObject({
      python_version: '3.12',
      python_full_version: '3.12.0',
      platform_machine: 'aarch64',
      sys_platform: 'linux',
      platform_system: 'Linux',
      implementation_name: 'cpython'
    });
  });

  test('"not pinned" warnings quote only the lines meant for the target', () => {
    const layer = layerSpec({ name: 'Old', runtime: 'python3.9' });
    const texts = new Map([[layer.requirementsFile, TEXT]]);
    const plan = planBuild(makeApp([layer], []), texts, makeConfig(), makeSettings(), 'pip', new Date('2025-01-01'), () => ({}), VERDICTS);
    expect(plan.layers[0]?.warnings).toEqual([
      "not pinned with ==: numpy<1.20.3 ; python_version < '3.10'; a cached build is reused until the requirements file changes, even when newer releases appear"
    ]);
    const fn = functionSpec({ name: 'Api', runtime: 'python3.9', requirementsFile: '/repo/functions/Api/requirements.txt' });
    const only312 = new Map([[fn.requirementsFile ?? '', "numpy==2.1.3; python_version >= '3.10'\n"]]);
    const fnPlan = planBuild(makeApp([], [fn]), only312, makeConfig(), makeSettings(), 'pip', new Date('2025-01-01'), () => ({}), VERDICTS);
    expect(fnPlan.functions[0]?.requirements).toBeUndefined();
  });
});
