import type { CacheService } from '../cache/actions-cache.js';
import type { Report } from '../report/report.js';
import type { InputSource } from '../settings/inputs.js';
import type { Logger } from '../shared/logger.js';
import type { Tools } from '../tools/tools.js';
import type { Clock } from '../shared/stopwatch.js';

/** Output names, as action.yml declares them; the CLI prints some of them. */
export const Output = {
  report: 'report',
  sizes: 'sizes',
  withinLimits: 'within-limits',
  cacheHits: 'cache-hits',
  commentBody: 'comment-body',
  baseSha: 'base-sha',
  headSha: 'head-sha',
  parameterOverrides: 'parameter-overrides',
  layerArns: 'layer-arns',
  previousLayerArns: 'previous-layer-arns',
  manifest: 'manifest',
  response: 'response'
} as const;

export type OutputName = (typeof Output)[keyof typeof Output];

export interface CommandDeps {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
  /** Monotonic milliseconds, for the report's timings. */
  clock: Clock;
  /** The programs the engine runs (pip, the runtime's Python, strip). */
  tools: Tools;
  /**
   * On a runner (the action): the Actions cache service (undefined when the runner has none) and the report to
   * GitHub (job summary, pull-request comment, base reports). Locally (the CLI): absent.
   */
  runner?: { cache: CacheService | undefined };
}

/** What a command did, for the front door to show: the action sets outputs and fails the step, the CLI prints and exits. */
export interface CommandResult {
  report?: Report;
  outputs: Partial<Record<OutputName, string>>;
  /** Markdown for the job summary. */
  summary?: string;
  /** Why the run failed (exit code 1); bad input is thrown as an InputError instead (exit code 2). */
  failure?: string;
}

export type Command = (inputs: InputSource, deps: CommandDeps) => Promise<CommandResult>;
