import { invokeFunction, type FunctionUnderTest } from '../invoke/invoke-function.js';
import type { FunctionEvents } from '../invoke/events.js';
import { functionUnderTest, setUpRuntime, type RuntimeSetup, type SetupDeps } from '../invoke/runtime-setup.js';
import { extractLayers, prepareSandbox, probeIsolation } from '../invoke/sandbox.js';
import type { Platform } from '../lambda/platform.js';
import { externalLayerRefs, type FunctionPlan } from '../plan/plan.js';
import type { FunctionReport, InvocationResult, LayerReport } from '../report/report.js';
import type { Logger } from '../shared/logger.js';
import { withScratchDir } from '../shared/scratch.js';
import { outPath } from './out-paths.js';
import { linkTrees } from '../artifact/file-tree.js';
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { cachedStep } from '../cache/cached-step.js';
import type { BuildCache } from '../cache/folder-cache.js';
import { AWSLAMBDARIC } from '../invoke/runtime-client.js';
import { invocationsKey } from '../plan/build-key.js';
import { isObject } from '../shared/json.js';
import type { TargetPython } from '../tools/tools.js';
import { functionVerificationKey } from '../verify/verify-function.js';

type Invocations = NonNullable<FunctionReport['invocations']>;

export interface InvokeStepDeps {
  outDir: string;
  region: string;
  logger: Logger;
  cache: BuildCache;
  hostEnv: NodeJS.ProcessEnv;
}

/**
 * What every function's events share in one build: each platform's runtime, set up once and only when a function
 * has events to run, and each list of layers extracted once into an /opt folder, shared by the functions with those
 * layers where the runtime sees it read-only (else a function could change what the next one runs with).
 */
export class Runtimes {
  private readonly byPlatform = new Map<string, Promise<RuntimeSetup | { missing: string }>>();
  private readonly opts = new Map<string, Promise<string>>();
  private readonly extractedZips = new Map<string, Promise<string>>();
  constructor(
    readonly deps: SetupDeps,
    readonly pythonFor: (platform: Platform) => TargetPython | undefined
  ) {}
  for(platform: Platform): Promise<RuntimeSetup | { missing: string }> {
    const key = `${platform.runtime}-${platform.architecture}`;
    let setup = this.byPlatform.get(key);
    if (!setup) this.byPlatform.set(key, (setup = setUpRuntime(platform, this.pythonFor(platform), this.deps)));
    return setup;
  }
  /** Starts setting up a platform's runtime ahead of its first use; a failure is met when it is used. */
  prepare(platform: Platform): void {
    this.for(platform).catch(() => undefined);
  }
  /** Every setup started, finished: nothing left installing when the build's scratch folder goes. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.byPlatform.values(), ...this.opts.values(), ...this.extractedZips.values()]);
  }
  /**
   * An /opt of these layers' zips. Shared: each zip extracted once per build into a folder of its own, and the
   * list's /opt made of hard links to those (functions with a layer in common do not extract it twice). Else the
   * zips are extracted into the function's own scratch folder: nothing it writes reaches another function.
   */
  async opt(layerZips: readonly string[], shared: boolean, scratch: string): Promise<string> {
    if (!shared) return extractLayers(path.join(scratch, 'opt'), layerZips);
    const key = JSON.stringify(layerZips);
    let opt = this.opts.get(key);
    if (!opt) {
      opt = (async () => {
        const extracted = await Promise.all(layerZips.map((zip) => this.extracted(zip)));
        const dir = await mkdtemp(path.join(this.deps.workDir, 'opt-'));
        await linkTrees(extracted, dir);
        return dir;
      })();
      this.opts.set(key, opt);
    }
    return opt;
  }
  private extracted(zip: string): Promise<string> {
    let dir = this.extractedZips.get(zip);
    if (!dir) {
      dir = mkdtemp(path.join(this.deps.workDir, 'layer-')).then((made) => extractLayers(made, [zip]));
      this.extractedZips.set(zip, dir);
    }
    return dir;
  }
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;
/** An error is the function's text: one line for its type, short for its message, no control characters but line breaks. */
const MAX_MESSAGE = 1000;
const clean = (text: string, max: number, lines: boolean) =>
  text.slice(0, max).replace(lines ? /[^\P{Cc}\n]|[\u2028\u2029]/gu : /[\p{Cc}\u2028\u2029]/gu, ' ');

/** A cached outcome: events that all passed (only such outcomes are kept). */
const isPassedRun = (value: unknown): value is Invocations =>
  isObject(value) &&
  value['status'] === 'ran' &&
  Array.isArray(value['results']) &&
  value['results'].every((r) => isObject(r) && r['status'] === 'passed' && typeof r['event'] === 'string');

/**
 * After verification: the function run with each of its events, each in a fresh process (a cold start), from the
 * zips just built. Nothing runs without events, for a function that failed verification, or without the runtime's
 * CPython; the report says which. Events that all passed are cached under a key over everything they depend on
 * (the function's verification key, its configuration, the events' bytes), and a hit is reused, marked cached.
 */
export async function invokeStep(
  plan: FunctionPlan,
  report: FunctionReport,
  stack: ReadonlyArray<{ report: Pick<LayerReport, 'buildKey' | 'sha256'> }>,
  found: FunctionEvents,
  runtimes: Runtimes,
  deps: InvokeStepDeps
): Promise<Invocations> {
  const name = plan.spec.name;
  if (!found.events.length) return { status: 'none', reason: `no events (looked for ${found.lookedIn})`, results: [] };
  if (report.verification.status === 'failed') return { status: 'skipped', reason: 'verification failed', results: [] };
  if (!report.withinLimits) return { status: 'skipped', reason: 'over the size limits: it could not be deployed', results: [] };
  const external = externalLayerRefs(plan);
  if (external.length) return skipped(plan, deps.logger, `it needs layers not built here: ${external.join(', ')}`);
  const python = runtimes.pythonFor(plan.platform);
  const isolation = await probeIsolation(runtimes.deps.workDir);
  const fn = functionUnderTest(plan.spec, plan.platform);
  const run = () => invokeEvents(plan, fn, found, runtimes, deps);
  if (!python?.runsTarget) return run();
  const key = invocationsKey({
    verification: functionVerificationKey(plan, report.sha256, stack, python),
    runtimeClient: AWSLAMBDARIC,
    fn,
    region: deps.region,
    readOnly: isolation.readOnly,
    events: found.events.map((e) => ({
      label: e.label,
      expectError: e.expectError,
      sha256: createHash('sha256').update(e.body).digest('hex')
    }))
  });
  const step = { label: `function ${name} events`, key, paths: {}, isMeta: isPassedRun, keep: isPassedRun };
  const { cacheHit, meta } = await cachedStep(step, { cache: deps.cache, logger: deps.logger }, run);
  if (!cacheHit) return meta;
  deps.logger.info(`      events of ${name}: ${meta.results.length} passed, cached (nothing they depend on changed)`);
  return { ...meta, cached: true };
}

/** Events not run for a reason the user should act on: a warning at the function, and the reason in the report. */
function skipped(plan: FunctionPlan, logger: Logger, reason: string): Invocations {
  logger.warning(`function ${plan.spec.name}: events not run: ${reason}`, plan.spec.location);
  return { status: 'skipped', reason, results: [] };
}

async function invokeEvents(
  plan: FunctionPlan,
  fn: FunctionUnderTest,
  found: FunctionEvents,
  runtimes: Runtimes,
  deps: InvokeStepDeps
): Promise<Invocations> {
  const name = plan.spec.name;
  const runtime = await runtimes.for(plan.platform);
  if ('missing' in runtime) return skipped(plan, deps.logger, runtime.missing);
  if (!runtime.isolation.readOnly)
    deps.logger.warning(`function ${name}: its task root and /opt are writable here (read-only on Lambda): ${runtime.isolation.why}`);
  for (const unresolved of plan.spec.environment?.unresolved ?? []) {
    deps.logger.warning(`function ${name}: environment variable ${unresolved} is not set for its events`, plan.spec.location);
  }

  const layerZips = plan.layers.flatMap((l) => (l.kind === 'template' ? [outPath(deps.outDir, 'layers', l.layer.spec.name).zip] : []));
  const results = await withScratchDir(runtimes.deps.workDir, 'invoke-', async (scratch) => {
    const opt = await runtimes.opt(layerZips, runtime.isolation.readOnly, scratch);
    const sandbox = await prepareSandbox(scratch, outPath(deps.outDir, 'functions', name).zip, opt);
    const results: InvocationResult[] = [];
    for (const event of found.events) {
      const logs: string[] = [];
      const outcome = await invokeFunction({
        fn,
        sandbox,
        isolation: runtime.isolation,
        python: runtime.python,
        runtimeDir: runtime.runtimeDir,
        runtimePackages: runtime.runtimePackages,
        region: deps.region,
        event: event.body,
        log: (line) => logs.push(line),
        hostEnv: deps.hostEnv
      });
      const failed = Boolean(outcome.error) !== event.expectError;
      const result: InvocationResult = {
        event: event.label,
        status: failed ? 'failed' : 'passed',
        ...(event.expectError && { expectedToFail: true }),
        ...(outcome.initDurationMs !== undefined && { initDurationMs: round2(outcome.initDurationMs) }),
        durationMs: round2(outcome.durationMs),
        billedDurationMs: outcome.billedDurationMs,
        memorySizeMB: outcome.memorySizeMB,
        maxMemoryUsedMB: outcome.maxMemoryUsedMB,
        ...(outcome.error && {
          errorType: clean(outcome.error.errorType, 200, false) || 'Unhandled',
          errorMessage: clean(outcome.error.errorMessage, MAX_MESSAGE, true)
        }),
        ...(!outcome.error && event.expectError && { errorMessage: 'expected to fail, but the function answered' })
      };
      const verdict = result.status === 'passed' ? (event.expectError ? 'failed as expected' : 'ok') : `FAILED: ${invocationError(result)}`;
      deps.logger.info(
        `      event ${event.label}: ${verdict}; ${outcome.reportLine.replace(/^REPORT RequestId: \S+\t/, '').replaceAll('\t', ', ')}`
      );
      // The function's own log: folded (or with --verbose) when it passed, shown in full when it did not.
      if (result.status === 'failed') {
        deps.logger.info(logs.join('\n'));
        deps.logger.error(`function ${name}, event ${event.label}: ${invocationError(result)}`, plan.spec.location);
      } else deps.logger.detail(`function ${name}, event ${event.label}`, logs.join('\n'));
      results.push(result);
    }
    return results;
  });
  return { status: 'ran', results };
}

/** "ValueError: no good", as a failure names it. */
export const invocationError = (result: InvocationResult) =>
  result.errorType ? `${result.errorType}: ${result.errorMessage ?? ''}` : (result.errorMessage ?? 'failed');
