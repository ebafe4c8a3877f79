import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/sample-app.js';

/**
 * Every workflow this repository runs or shows (.github/workflows, docs/workflows, and the
 * workflows in docs/*.md) parses, and every step that uses this action passes only inputs
 * action.yml declares: a renamed or misspelt input fails here, not in a user's workflow.
 */

type Step = { uses?: string; with?: Record<string, unknown>; run?: string };
type Workflow = { on?: unknown; jobs?: Record<string, { steps?: Step[] }> };

const read = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), 'utf8');
const ymlIn = (dir: string) =>
  readdirSync(path.join(REPO_ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`);

/** Workflow files, and the workflows in fenced yaml blocks of the docs (the ones with jobs). */
const WORKFLOWS: Array<[string, string]> = [
  ...[...ymlIn('.github/workflows'), ...ymlIn('docs/workflows')].map((f): [string, string] => [f, read(f)]),
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .flatMap((f) =>
      [...read(`docs/${f}`).matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)]
        .map((m) => m[1] ?? '')
        .filter((text) => /^jobs:/m.test(text))
        .map((text, i): [string, string] => [`docs/${f} (workflow ${i + 1})`, text])
    )
];

const declared = new Set(Object.keys((parse(read('action.yml')) as { inputs: Record<string, unknown> }).inputs));
/** This action: `./` in this repository, `owner/lambda-layers@ref` in the examples. */
const isThisAction = (uses: string | undefined) => uses === './' || /^[\w.-]+\/lambda-layers@/.test(uses ?? '');
const steps = (wf: Workflow) => Object.entries(wf.jobs ?? {}).flatMap(([job, j]) => (j.steps ?? []).map((s) => ({ job, step: s })));

test('there are workflows to check: CI, pull requests, default-branch pushes, the matrix, releases', () => {
  const names = WORKFLOWS.map(([name]) => name);
  expect(names).toEqual(
    expect.arrayContaining([
      '.github/workflows/ci.yml',
      'docs/workflows/sizes.yml',
      'docs/workflows/sizes-comment.yml',
      'docs/workflows/sizes-matrix.yml',
      'docs/workflows/release.yml'
    ])
  );
});

describe.each(WORKFLOWS)('%s', (_name, text) => {
  const workflow = parse(text) as Workflow;

  test('parses, and has jobs with steps', () => {
    expect(Object.keys(workflow.jobs ?? {}).length).toBeGreaterThan(0);
    for (const { step } of steps(workflow)) expect(step.uses ?? step.run).toBeDefined();
  });

  test('every step of this action passes only declared inputs', () => {
    const undeclared = steps(workflow)
      .filter(({ step }) => isThisAction(step.uses))
      .flatMap(({ job, step }) =>
        Object.keys(step.with ?? {})
          .filter((k) => !declared.has(k))
          .map((k) => `${job}: ${k}`)
      );
    expect(undeclared).toEqual([]);
  });

  test('never pull_request_target', () => {
    expect(JSON.stringify(workflow.on ?? {})).not.toContain('pull_request_target');
  });
});
