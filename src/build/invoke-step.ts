import { invokeFunction } from '../invoke/invoke-function.js';
import type { FunctionEvents } from '../invoke/events.js';
import { functionUnderTest, setUpRuntime, type RuntimeSetup, type SetupDeps } from '../invoke/runtime-setup.js';
import { prepareSandbox } from '../invoke/sandbox.js';
import type { Platform } from '../lambda/platform.js';
import type { FunctionPlan } from '../plan/plan.js';
import type { FunctionReport, InvocationResult } from '../report/report.js';
import type { Logger } from '../shared/logger.js';
import { withScratchDir } from '../shared/scratch.js';
import { outPath } from './out-paths.js';

type Invocations = NonNullable<FunctionReport['invocations']>;

export interface InvokeStepDeps {
  outDir: string;
  region: string;
  logger: Logger;
  hostEnv: NodeJS.ProcessEnv;
}

/** The runtime of each platform, set up once per build and only when a function has events. */
export class Runtimes {
  private readonly byPlatform = new Map<string, Promise<RuntimeSetup | { missing: string }>>();
  constructor(readonly deps: SetupDeps) {}
  for(platform: Platform): Promise<RuntimeSetup | { missing: string }> {
    const key = `${platform.runtime}-${platform.architecture}`;
    let setup = this.byPlatform.get(key);
    if (!setup) this.byPlatform.set(key, (setup = setUpRuntime(platform, this.deps)));
    return setup;
  }
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;
/** An error is the function's text: one line for its type, short for its message, no control characters but line breaks. */
const MAX_MESSAGE = 1000;
const clean = (text: string, max: number, lines: boolean) =>
  text.slice(0, max).replace(lines ? /[^\P{Cc}\n]|[\u2028\u2029]/gu : /[\p{Cc}\u2028\u2029]/gu, ' ');

/**
 * After verification: the function run with each of its events, each in a fresh process (a cold start), from the
 * zips just built. Nothing runs without events, for a function that failed verification, or without the runtime's
 * CPython; the report says which.
 */
export async function invokeStep(
  plan: FunctionPlan,
  report: FunctionReport,
  found: FunctionEvents,
  runtimes: Runtimes,
  deps: InvokeStepDeps
): Promise<Invocations> {
  const name = plan.spec.name;
  if (!found.events.length) return { status: 'none', reason: `no events (looked for ${found.lookedIn})`, results: [] };
  const skipped = (reason: string): Invocations => {
    deps.logger.warning(`function ${name}: events not run: ${reason}`, plan.spec.location);
    return { status: 'skipped', reason, results: [] };
  };
  if (report.verification.status === 'failed') return { status: 'skipped', reason: 'verification failed', results: [] };
  if (!report.withinLimits) return { status: 'skipped', reason: 'over the size limits: it could not be deployed', results: [] };
  const external = plan.layers.flatMap((l) => (l.kind === 'external' ? [l.ref] : []));
  if (external.length) return skipped(`it needs layers not built here: ${external.join(', ')}`);
  const runtime = await runtimes.for(plan.platform);
  if ('missing' in runtime) return skipped(runtime.missing);
  if (!runtime.isolation.readOnly)
    deps.logger.warning(`function ${name}: its task root and /opt are writable here (read-only on Lambda): ${runtime.isolation.why}`);
  for (const unresolved of plan.spec.environment?.unresolved ?? []) {
    deps.logger.warning(`function ${name}: environment variable ${unresolved} is not set for its events`, plan.spec.location);
  }

  const layerZips = plan.layers.flatMap((l) => (l.kind === 'template' ? [outPath(deps.outDir, 'layers', l.layer.spec.name).zip] : []));
  const fn = functionUnderTest(plan.spec, plan.platform);
  const results = await withScratchDir(runtimes.deps.workDir, 'invoke-', async (scratch) => {
    const sandbox = await prepareSandbox(scratch, outPath(deps.outDir, 'functions', name).zip, layerZips);
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
