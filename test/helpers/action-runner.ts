import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RUNNER_NODE } from '../setup/runner-node.js';
import { REPO_ROOT, run, type RunResult } from './sample-app.js';

export const ACTION = path.join(REPO_ROOT, 'dist/index.js');

export interface ActionRun extends RunResult {
  outputs: Record<string, string>;
  summary: string;
}

/** GITHUB_OUTPUT holds `name<<delimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

/**
 * Runs dist/index.js the way the runner does, with the runner's Node.js (24): INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and the
 * workspace. `env` is the whole environment apart from those (no INPUT_* from this process leaks in); a
 * GITHUB_STEP_SUMMARY it sets wins (`summary` is then empty: the caller reads its own file).
 */
export async function runAction(workspace: string, inputs: Record<string, string>, env: NodeJS.ProcessEnv): Promise<ActionRun> {
  const files = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-runner-'));
  const outputFile = path.join(files, 'output');
  const summaryFile = env['GITHUB_STEP_SUMMARY'] ? undefined : path.join(files, 'summary');
  await writeFile(outputFile, '');
  if (summaryFile) await writeFile(summaryFile, '');
  const runnerEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('INPUT_')));
  Object.assign(runnerEnv, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile ?? env['GITHUB_STEP_SUMMARY']
  });
  for (const [k, v] of Object.entries(inputs)) runnerEnv[`INPUT_${k.toUpperCase()}`] = v;
  const result = await run(RUNNER_NODE, [ACTION], { cwd: workspace, env: runnerEnv });
  const outputs = parseOutputs(await readFile(outputFile, 'utf8'));
  const summary = summaryFile ? await readFile(summaryFile, 'utf8') : '';
  await rm(files, { recursive: true, force: true });
  return { ...result, outputs, summary };
}
