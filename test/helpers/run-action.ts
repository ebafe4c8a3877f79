import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hermeticEnv, REPO_ROOT, run, type RunResult, type SampleApp } from './sample-app.js';

export const ACTION = path.join(REPO_ROOT, 'dist/index.js');

export interface ActionResult extends RunResult {
  outputs: Record<string, string>;
}

/** Runs dist/index.js the way the runner does: INPUT_* variables, GITHUB_OUTPUT and the workspace, plus `env`. */
export async function runAction(app: SampleApp, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionResult> {
  const files = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-runner-'));
  const outputFile = path.join(files, 'output');
  await writeFile(outputFile, '');
  const fullEnv = hermeticEnv(app, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: app.repo,
    GITHUB_OUTPUT: outputFile,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...env
  });
  const result = await run(process.execPath, [ACTION], { cwd: app.repo, env: fullEnv });
  const outputs = parseOutputs(await readFile(outputFile, 'utf8'));
  await rm(files, { recursive: true, force: true });
  return { ...result, outputs };
}

/** GITHUB_OUTPUT holds `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

/** What pip installed in a run, from the log groups ("layer CoreLayer", "function Predict"). */
export const pipInstalls = (stdout: string) => [...stdout.matchAll(/::group::pip install for (.+)/g)].map((m) => m[1]);
