import { InputError } from '../../src/shared/errors.js';
import { planBuild, type BuildPlan } from '../../src/plan/plan.js';
import type { FileTexts } from '../../src/template/app-files.js';
import { SUPPORTED_RUNTIMES } from '../../src/lambda/platform.js';
import { functionSpec, layerSpec, makeApp, makeConfig, makeSettings, thrownBy } from './fixtures.js';

const INSTALLER = 'pip 23.2.1 (python 3.11)';
const TODAY = new Date('2026-11-25T12:00:00Z');
const EXT_ARN = 'arn:aws:lambda:us-east-1:123456789012:layer:shared:4';

const CORE = layerSpec({ name: 'Core' });
const ML = layerSpec({ name: 'Ml' });
const CORE_ARM = layerSpec({ name: 'CoreArm', architecture: 'arm64' });
const OLD = layerSpec({ name: 'Old', runtime: 'python3.9' });

const TEXTS: FileTexts = new Map([
  [CORE.requirementsFile, 'requests==2.31.0\n'],
  [CORE_ARM.requirementsFile, 'requests==2.31.0\n'],
  [ML.requirementsFile, 'numpy==1.26.4\npandas>=2\n'],
  [OLD.requirementsFile, 'six==1.16.0\n'],
  ['/repo/functions/Api/requirements.txt', 'pydantic\n']
]);

function plan(
  overrides: { layers?: (typeof CORE)[]; texts?: FileTexts; today?: Date; installer?: string } = {},
  fns = [functionSpec({ name: 'Api' })]
): BuildPlan {
  return planBuild(
    makeApp(overrides.layers ?? [CORE, ML], fns),
    overrides.texts ?? TEXTS,
    makeConfig({ externalLayers: { [EXT_ARN]: 10_000_000 } }),
    makeSettings(),
    overrides.installer ?? INSTALLER,
    overrides.today ?? TODAY
  );
}

function layerKey(p: BuildPlan, name: string): string {
  const layer = p.layers.find((l) => l.spec.name === name);
  if (!layer) throw new Error(`no layer ${name}`);
  return layer.key;
}

describe('planBuild: layers', () => {
  test('each layer gets its platform, parsed requirements and a 32-hex key', () => {
    const p = plan();
    expect(p.installer).toBe(INSTALLER);
    expect(
      p.layers.map((l) => [l.spec.name, l.platform.runtime, l.platform.architecture, l.requirements.requirements.map((r) => r.line)])
    ).toEqual([
      ['Core', 'python3.12', 'x86_64', ['requests==2.31.0']],
      ['Ml', 'python3.12', 'x86_64', ['numpy==1.26.4', 'pandas>=2']]
    ]);
    for (const layer of p.layers) expect(layer.key).toMatch(/^[0-9a-f]{32}$/);
  });

  test('layers with different requirements get different keys', () => {
    const p = plan();
    expect(layerKey(p, 'Core')).not.toBe(layerKey(p, 'Ml'));
  });

  test('the same requirements for another architecture get another key', () => {
    const p = plan({ layers: [CORE, CORE_ARM] });
    expect(layerKey(p, 'Core')).not.toBe(layerKey(p, 'CoreArm'));
  });

  test('keys are stable across runs and do not depend on the layer name or the date', () => {
    const renamed = layerSpec({ name: 'Renamed', requirementsFile: CORE.requirementsFile });
    expect(layerKey(plan({ layers: [renamed], today: new Date('2030-01-01T00:00:00Z') }), 'Renamed')).toBe(layerKey(plan(), 'Core'));
  });

  test('another pip changes every key', () => {
    expect(layerKey(plan({ installer: 'pip 24.0 (python 3.11)' }), 'Core')).not.toBe(layerKey(plan(), 'Core'));
  });

  test('allowSdist from settings and from the config both count in the key', () => {
    const base = layerKey(plan(), 'Core');
    const app = makeApp([CORE]);
    const fromSettings = planBuild(app, TEXTS, makeConfig(), makeSettings({ allowSdist: ['pure'] }), INSTALLER, TODAY);
    const fromConfig = planBuild(app, TEXTS, makeConfig({ allowSdist: ['pure'] }), makeSettings(), INSTALLER, TODAY);
    expect(layerKey(fromSettings, 'Core')).not.toBe(base);
    expect(layerKey(fromSettings, 'Core')).toBe(layerKey(fromConfig, 'Core'));
  });

  test('pipArgs from the config count in the key', () => {
    const app = makeApp([CORE]);
    const other = planBuild(
      app,
      TEXTS,
      makeConfig({ pipArgs: ['--index-url', 'https://mirror.example/simple'] }),
      makeSettings(),
      INSTALLER,
      TODAY
    );
    expect(layerKey(other, 'Core')).not.toBe(layerKey(plan(), 'Core'));
  });

  test('unpinned requirements give a warning listing them', () => {
    const p = plan();
    expect(p.layers.find((l) => l.spec.name === 'Core')?.warnings).toEqual([]);
    expect(p.layers.find((l) => l.spec.name === 'Ml')?.warnings).toEqual([
      'not pinned with ==: pandas>=2; a cached build is reused until the requirements file changes, even when newer releases appear'
    ]);
  });

  test('a deprecated runtime gives a warning, before the unpinned one', () => {
    const texts = new Map(TEXTS).set(OLD.requirementsFile, 'six==1.16.0\nidna\n');
    const [old] = plan({ layers: [OLD], texts }, []).layers;
    expect(old?.warnings).toEqual([
      `runtime python3.9 is deprecated by AWS Lambda since 2025-12-15: functions on it can stop being updated; move to ${SUPPORTED_RUNTIMES.at(-1)} or another supported runtime`,
      'not pinned with ==: idna; a cached build is reused until the requirements file changes, even when newer releases appear'
    ]);
  });

  test('a runtime deprecated only later gives no warning today', () => {
    const [old] = plan({ layers: [OLD], today: new Date('2025-01-01T00:00:00Z') }, []).layers;
    expect(old?.warnings).toEqual([]);
  });

  test('a layer without requirements is a layer of code only: nothing to install, no warning', () => {
    const [core] = plan({ texts: new Map() }, []).layers;
    expect(core?.requirements).toEqual({ requirements: [], options: [] });
    expect(core?.warnings).toEqual([]);
  });
});

describe('planBuild: functions', () => {
  test('template layers are the planned layer objects; external ones carry the configured size', () => {
    const fn = functionSpec({
      name: 'Api',
      layers: [
        { kind: 'template', name: 'Core' },
        { kind: 'external', ref: EXT_ARN },
        { kind: 'external', ref: 'parameter Unknown' },
        { kind: 'template', name: 'Ml' }
      ]
    });
    const p = plan({}, [fn]);
    const [planned] = p.functions;
    expect(planned?.layers).toHaveLength(4);
    expect(planned?.layers[0]).toEqual({ kind: 'template', layer: p.layers[0] });
    expect(planned?.layers[0]?.kind === 'template' && planned.layers[0].layer).toBe(p.layers[0]);
    expect(planned?.layers[1]).toEqual({ kind: 'external', ref: EXT_ARN, unzippedBytes: 10_000_000 });
    expect(planned?.layers[2]).toEqual({ kind: 'external', ref: 'parameter Unknown', unzippedBytes: undefined });
    expect(planned?.layers[3]?.kind === 'template' && planned.layers[3].layer).toBe(p.layers[1]);
  });

  test("a function's own requirements are parsed and unpinned ones warned about", () => {
    const [planned] = plan().functions;
    expect(planned?.requirements?.requirements.map((r) => r.line)).toEqual(['pydantic']);
    expect(planned?.warnings).toEqual([
      'not pinned with ==: pydantic; a cached build is reused until the requirements file changes, even when newer releases appear'
    ]);
    expect(planned?.platform.abi).toBe('cp312');
  });

  test('a function without a requirements text has none and no warning', () => {
    const [planned] = plan({}, [functionSpec({ name: 'Bare' })]).functions;
    expect(planned?.requirements).toBeUndefined();
    expect(planned?.warnings).toEqual([]);
  });

  test('a function on a deprecated runtime is warned about', () => {
    const [planned] = plan({}, [functionSpec({ name: 'Legacy', runtime: 'python3.9' })]).functions;
    expect(planned?.warnings).toHaveLength(1);
    expect(planned?.warnings[0]).toContain('runtime python3.9 is deprecated by AWS Lambda since 2025-12-15');
  });

  test('a reference to a layer that was not planned is an internal error', () => {
    const fn = functionSpec({ name: 'Api', layers: [{ kind: 'template', name: 'Ghost' }] });
    const error = thrownBy(() => plan({}, [fn]));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('layer Ghost was discovered but not planned');
  });
});
