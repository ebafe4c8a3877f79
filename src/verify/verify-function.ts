import path from 'node:path';
import { readDistributions, type Distribution } from '../artifact/distributions.js';
import { cachedStep } from '../cache/cached-step.js';
import type { InstallContext } from '../install/install-requirements.js';
import { verificationKey } from '../plan/build-key.js';
import { isObject } from '../shared/json.js';
import { installRuntimePackage } from '../install/runtime-packages.js';
import type { Platform } from '../lambda/platform.js';
import { externalLayerRefs, type FunctionPlan } from '../plan/plan.js';
import type { TargetPython } from '../tools/tools.js';
import type { FunctionReport, LayerReport } from '../report/report.js';
import { RUNTIME_PROVIDED } from '../slim/prune-rules.js';
import type { SlimLog } from '../slim/slim-log.js';
import { topLevelModules, verifyImports, type VerifyResult } from './import-check.js';
import { handlerModule } from '../lambda/handler.js';
import { checkSharedObjects, readPart, type PartContents } from './elf-check.js';

/** boto3 as the runtime provides it, installed once per runtime into the cache folder. */
export const runtimeBoto3Site = (cacheDir: string, platform: Platform) =>
  path.join(cacheDir, 'runtime-provided', `${platform.runtime}-${platform.architecture}`);

const runtimeSite = (plan: FunctionPlan, ctx: InstallContext, cacheDir: string) =>
  installRuntimePackage({
    pip: ctx.pip,
    platform: plan.platform,
    requirement: 'boto3',
    site: runtimeBoto3Site(cacheDir, plan.platform),
    pipArgs: ctx.pipArgs,
    workDir: ctx.workDir,
    what: "the runtime's boto3"
  });

const needsRuntime = (result: VerifyResult) =>
  result.failures.length > 0 && result.failures.every((f) => RUNTIME_PROVIDED.some((name) => f.error.includes(`No module named '${name}`)));

/** What verification needs of each layer under the function (the build's BuiltLayer). */
export interface LayerUnderTest {
  root: string;
  dists: readonly Distribution[];
  slimLog: Pick<SlimLog, 'removedPaths'>;
  /** The layer's name, and its build key and zip hash: part of the verification's cache key. */
  report: Pick<LayerReport, 'name' | 'buildKey' | 'sha256'>;
}

type Verification = FunctionReport['verification'];

const isPassed = (value: unknown): value is Verification =>
  isObject(value) &&
  value['status'] === 'passed' &&
  Number.isSafeInteger(value['modules']) &&
  Array.isArray(value['failures']) &&
  isObject(value['elf']);

/** The key a function's verification is cached under: over its zip, handler, layers and the Python importing. */
export const functionVerificationKey = (
  plan: FunctionPlan,
  functionZip: string,
  layers: ReadonlyArray<{ report: Pick<LayerReport, 'buildKey' | 'sha256'> }>,
  python: TargetPython
) =>
  verificationKey({
    python,
    functionZip,
    handler: plan.spec.handler,
    layers: layers.map((l) => ({ key: l.report.buildKey, sha256: l.report.sha256 })),
    external: externalLayerRefs(plan)
  });

/** Each layer's shared objects, read once per build however many functions use it (keyed by this build's layer). */
const layerContents = new WeakMap<LayerUnderTest, Promise<PartContents>>();

function contentsOf(layer: LayerUnderTest): Promise<PartContents> {
  let contents = layerContents.get(layer);
  if (!contents) layerContents.set(layer, (contents = readPart(layer.root)));
  return contents;
}

/**
 * Checks every shared object of the function's stack at the ELF level (CPU, glibc, libraries needed), then, with
 * a Python that runs the target CPU, imports what the stack ships. The level says which ran: imports on the target
 * CPU, ELF checks only, or nothing. A failed ELF check fails the verification. A pass on the target CPU is cached
 * under a key over everything both checks depend on, and reused (marked cached).
 */
export async function verifyFunction(
  plan: FunctionPlan,
  functionDir: string,
  functionZip: string,
  layers: readonly LayerUnderTest[],
  ownLog: SlimLog | undefined,
  python: TargetPython | undefined,
  ctx: InstallContext,
  cacheDir: string
): Promise<Verification> {
  const elfCheck = async () => {
    const parts = [
      { mountedAt: '/var/task', label: `function ${plan.spec.name}`, contents: await readPart(functionDir) },
      ...(await Promise.all(
        layers.map(async (l) => ({ mountedAt: '/opt', label: `layer ${l.report.name}`, contents: await contentsOf(l) }))
      ))
    ];
    return checkSharedObjects(plan.platform, parts, externalLayerRefs(plan).length === 0);
  };
  if (!python?.runsTarget) {
    const elf = await elfCheck();
    return {
      status: elf.problems.length ? 'failed' : 'skipped',
      reason:
        `no CPython ${plan.platform.pythonVersion} for ${plan.platform.architecture} on this machine` +
        (python ? ` (${python.path} runs on ${python.machine}): shared objects checked at the ELF level only` : ''),
      modules: 0,
      failures: [],
      level: elf.files ? 'elf-only' : 'none',
      elf
    };
  }
  const key = functionVerificationKey(plan, functionZip, layers, python);
  const step = {
    label: `function ${plan.spec.name} verification`,
    key,
    paths: {},
    isMeta: isPassed,
    keep: (v: Verification) => v.status === 'passed'
  };
  const { cacheHit, meta } = await cachedStep(step, ctx, async (): Promise<Verification> => {
    const elf = await elfCheck();
    const imports = await importCheck(plan, functionDir, layers, ownLog, python, ctx, cacheDir);
    return { ...imports, status: elf.problems.length ? 'failed' : imports.status, level: 'target-cpu', elf };
  });
  return cacheHit ? { ...meta, cached: true } : meta;
}

async function importCheck(
  plan: FunctionPlan,
  functionDir: string,
  layers: readonly LayerUnderTest[],
  ownLog: SlimLog | undefined,
  python: TargetPython,
  ctx: InstallContext,
  cacheDir: string
): Promise<Verification> {
  const external = externalLayerRefs(plan);
  const dists = [...layers.flatMap((l) => l.dists), ...(await readDistributions(functionDir))];
  const removed = new Map([...layers.flatMap((l) => l.slimLog.removedPaths), ...(ownLog?.removedPaths ?? [])]);
  const request = {
    python,
    functionDir,
    layerRoots: layers.map((l) => l.root),
    handlerModule: handlerModule(plan.spec.handler)?.module ?? plan.spec.handler,
    modules: [...new Set(dists.flatMap(topLevelModules))].sort(),
    distributions: [...new Set(dists.map((d) => d.name))].sort(),
    removed
  };
  let result = await verifyImports(request);
  if (needsRuntime(result)) result = await verifyImports({ ...request, runtimeSite: await runtimeSite(plan, ctx, cacheDir) });
  // Without an external layer's content, imports it would serve cannot be judged.
  const status = result.failures.length === 0 ? 'passed' : external.length ? 'skipped' : 'failed';
  return {
    status,
    python: python.version,
    modules: result.modules,
    handlerImportMs: result.handlerImportMs,
    failures: result.failures,
    ...(status === 'skipped' ? { reason: `imports may need external layers: ${external.join(', ')}` } : {})
  };
}
