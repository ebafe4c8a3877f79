import { runAction as runActionIn, type ActionRun } from './action-runner.js';
import { hermeticEnv, type SampleApp } from './sample-app.js';

/** Runs dist/index.js like the runner on the sample app, in its hermetic environment plus `env`. */
export function runAction(app: SampleApp, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runActionIn(app.repo, inputs, hermeticEnv(app, env));
}

/** What pip installed in a run, from the log groups ("layer CoreLayer", "function Predict"). */
export const pipInstalls = (stdout: string) => [...stdout.matchAll(/::group::pip install for (.+)/g)].map((m) => m[1]);
