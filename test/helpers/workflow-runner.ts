import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { isObject, type Json } from '../../src/shared/json.js';
import { parseOutputs, type ActionRun } from './action-runner.js';
import { runAction } from './run-action.js';
import { REPO_ROOT, type SampleApp } from './sample-app.js';

/**
 * Runs a documented workflow's jobs the way GitHub would for one event, against the local stand-ins:
 * the `on:` filters and `if:` conditions are evaluated, `${{ }}` expressions are replaced, this action's
 * steps run the built dist/ with the step's inputs (and action.yml's defaults), `run:` steps run in bash,
 * artifacts are folders. Any other step is an error here, so a new step in a workflow gets a stand-in.
 */

export interface WorkflowEvent {
  name: 'pull_request' | 'push' | 'workflow_run';
  payload: Json;
  /** GITHUB_SHA and GITHUB_REF. */
  sha: string;
  ref: string;
}

export interface WorkflowContext {
  app: SampleApp;
  /** The runner's variables every step gets (GitHub API, cache service). */
  env: Record<string, string>;
  /** What aws-actions/configure-aws-credentials sets, given its region: the moto environment. */
  awsEnv?: (region: string) => Record<string, string>;
  /** Artifacts by name, as folders, shared by the runs of one test file. */
  artifacts: string;
  vars?: Record<string, string>;
  /** Matrix values for the test's app, where a workflow names the bundled example's (e.g. its layers). */
  matrix?: Record<string, unknown[]>;
}

export interface StepRun {
  job: string;
  uses?: string;
  /** This action's steps: the inputs it ran with and what it did. */
  inputs?: Record<string, string>;
  action?: ActionRun;
}

type Step = { id?: string; if?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown> };
type Job = { if?: string; needs?: string | string[]; strategy?: { matrix?: Record<string, unknown[]> }; steps: Step[] };
type Workflow = { on: unknown; jobs: Record<string, Job> };

/** This action: `./` in this repository, `<owner>/lambda-layers@ref` in the examples. */
export const isThisAction = (uses: string | undefined) => uses === './' || /^(<owner>|[\w.-]+)\/lambda-layers@/.test(uses ?? '');

/** Whether the workflow's `on:` fires for the event (branch and tag filters of push included). */
export function triggers(on: unknown, event: WorkflowEvent): boolean {
  const events: Record<string, unknown> =
    typeof on === 'string'
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((e: unknown) => [String(e), null]))
        : (on as Json);
  if (!(event.name in events)) return false;
  const filter = isObject(events[event.name]) ? (events[event.name] as Json) : {};
  if (event.name !== 'push' || (!filter['branches'] && !filter['tags'])) return true;
  const [kind, name] = event.ref.startsWith('refs/tags/')
    ? ['tags', event.ref.slice('refs/tags/'.length)]
    : ['branches', event.ref.slice('refs/heads/'.length)];
  const globs = filter[kind];
  return Array.isArray(globs) && picomatch(globs as string[])(name);
}

/** GitHub's expression language, the part the documented workflows use: paths, literals, ==, !=, !, &&, ||, status calls. */
export function evaluate(expression: string, context: Json): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|[\w.\-[\]*]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++] ?? '';
  const primary = (): unknown => {
    const token = next();
    if (token === '(') {
      const value = or();
      next();
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (token === 'true' || token === 'false') return token === 'true';
    if (/^\d+$/.test(token)) return Number(token);
    if (peek() === '(') {
      next();
      next();
      const status: Record<string, boolean> = { success: true, always: true, cancelled: false, failure: false };
      if (!(token in status)) throw new Error(`unknown function ${token}() in ${expression}`);
      return status[token];
    }
    return token.split('.').reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), context);
  };
  const comparison = (): unknown => {
    const left = primary();
    if (peek() !== '==' && peek() !== '!=') return left;
    const equal = next() === '==';
    return (left === primary()) === equal;
  };
  const unary = (): unknown => (peek() === '!' ? (next(), !unary()) : comparison());
  const and = (): unknown => {
    let value = unary();
    while (peek() === '&&') {
      next();
      const right = unary();
      value = value ? right : value;
    }
    return value;
  };
  const or = (): unknown => {
    let value = and();
    while (peek() === '||') {
      next();
      const right = and();
      value = value ? value : right;
    }
    return value;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`cannot evaluate ${expression}`);
  return value;
}

/** A `with:` value or `run:` script with every `${{ }}` replaced. */
const substitute = (text: string, context: Json) =>
  text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  });

/** An `if:` condition: with or without `${{ }}`. */
const condition = (text: string | undefined, context: Json) =>
  text === undefined || Boolean(evaluate(text.replace(/^\$\{\{\s*|\s*\}\}$/g, ''), context));

/** action.yml's input defaults, as the runner passes them when a step leaves an input out. */
export const actionDefaults = async (): Promise<Record<string, string>> => {
  const { inputs } = parse(await readFile(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  return Object.fromEntries(Object.entries(inputs).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, v.default]])));
};

/** GITHUB_OUTPUT: `name=value` lines and `name<<delimiter` blocks. */
function stepOutputs(text: string): Record<string, string> {
  const lines = Object.fromEntries([...text.matchAll(/^([\w-]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { ...lines, ...parseOutputs(text) };
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('bash', ['-e', '-c', script], { cwd, env }, (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve()))
  );
}

/** Runs every job of a workflow file (relative to the repository) for the event; [] when it does not trigger. */
export async function runWorkflow(file: string, event: WorkflowEvent, ctx: WorkflowContext): Promise<StepRun[]> {
  const workflow = parse(await readFile(path.join(REPO_ROOT, file), 'utf8')) as Workflow;
  if (!triggers(workflow.on, event)) return [];
  const runner = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-workflow-'));
  const eventFile = path.join(runner, 'event.json');
  await writeFile(eventFile, JSON.stringify(event.payload));
  const github = { event_name: event.name, event: event.payload, sha: event.sha, ref: event.ref, token: 't', repository: 'o/r' };
  const defaults = await actionDefaults();
  const runs: StepRun[] = [];
  try {
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      if (!condition(job.if, { github, vars: ctx.vars ?? {} })) continue;
      const matrix = Object.entries({ ...job.strategy?.matrix, ...(job.strategy?.matrix && ctx.matrix) }).reduce<Json[]>(
        (combos, [key, values]) => combos.flatMap((combo) => values.map((v) => ({ ...combo, [key]: v }))),
        [{}]
      );
      for (const cell of matrix) {
        const steps: Record<string, { outputs: Record<string, string> }> = {};
        let env: Record<string, string> = {
          ...ctx.env,
          GITHUB_EVENT_NAME: event.name,
          GITHUB_EVENT_PATH: eventFile,
          GITHUB_SHA: event.sha,
          GITHUB_REF: event.ref,
          GITHUB_REPOSITORY: 'o/r',
          GITHUB_RUN_ID: '42'
        };
        let failed = false;
        for (const step of job.steps) {
          const context: Json = { github, matrix: cell, steps, vars: ctx.vars ?? {} };
          // A step without `if:` runs only while the job succeeds (success()).
          if (step.if === undefined ? failed : !condition(step.if, context)) continue;
          const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), context)]));
          // A step's `env:` is how the documented workflows hand outputs to `run:` (never `${{ }}` inside it).
          const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), context)]));
          const uses = step.uses?.replace(/@.*$/, '');
          if (isThisAction(step.uses)) {
            const inputs = { ...Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, substitute(v, context)])), ...withInputs };
            const action = await runAction(ctx.app, inputs, { ...env, ...stepEnv });
            if (step.id) steps[step.id] = { outputs: action.outputs };
            failed ||= action.code !== 0;
            runs.push({ job: jobName, uses: step.uses, inputs, action });
            continue;
          }
          runs.push({ job: jobName, uses: step.uses ?? 'run' });
          if (step.run !== undefined) {
            const output = path.join(runner, `output-${runs.length}`);
            await writeFile(output, '');
            await bash(substitute(step.run, context), ctx.app.repo, { ...process.env, ...env, ...stepEnv, GITHUB_OUTPUT: output });
            if (step.id) steps[step.id] = { outputs: stepOutputs(await readFile(output, 'utf8')) };
          } else if (uses === 'actions/upload-artifact') {
            const from = path.resolve(ctx.app.repo, withInputs['path']!);
            const to = path.join(ctx.artifacts, withInputs['name']!);
            await rm(to, { recursive: true, force: true });
            await cp(from, (await readdir(from).catch(() => undefined)) ? to : path.join(to, path.basename(from)), { recursive: true });
          } else if (uses === 'actions/download-artifact') {
            const to = path.resolve(ctx.app.repo, withInputs['path']!);
            const pattern = withInputs['pattern'];
            for (const name of await readdir(ctx.artifacts)) {
              if (pattern ? picomatch(pattern)(name) : name === withInputs['name']) {
                await cp(path.join(ctx.artifacts, name), pattern ? path.join(to, name) : to, { recursive: true });
              }
            }
          } else if (uses === 'aws-actions/configure-aws-credentials') {
            env = { ...env, ...ctx.awsEnv?.(withInputs['aws-region'] ?? '') };
          } else if (uses !== 'actions/checkout' && uses !== 'actions/setup-python') {
            throw new Error(`${file}: no stand-in for step ${step.uses}`);
          }
        }
      }
    }
  } finally {
    await rm(runner, { recursive: true, force: true });
  }
  return runs;
}

/** Makes the folder artifacts are kept in. */
export async function artifactStore(base: string): Promise<string> {
  const dir = path.join(base, 'artifacts');
  await mkdir(dir, { recursive: true });
  return dir;
}
