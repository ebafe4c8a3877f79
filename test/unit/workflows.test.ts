import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/sample-app.js';
import { isThisAction } from '../helpers/workflow-runner.js';

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

/**
 * The rules a workflow a user copies should follow: the example workflows, and the README's, which users copy as
 * they are. (Fragments in docs/*.md are held to the action versions and the run: rule only.)
 */
describe('example workflows follow the rules a copied workflow should', () => {
  type Job = { permissions?: Record<string, string> | string; strategy?: { matrix?: { layer?: string[] } }; steps?: Step[] };
  type Example = {
    on?: unknown;
    permissions?: Record<string, string> | string;
    concurrency?: { group?: string; 'cancel-in-progress'?: unknown };
    jobs?: Record<string, Job>;
  };

  /** The current major of every action the examples use: each runs on node24. */
  const CURRENT: Record<string, string> = {
    'actions/checkout': 'v6',
    'actions/setup-python': 'v6',
    'actions/upload-artifact': 'v7',
    'actions/download-artifact': 'v7',
    'aws-actions/configure-aws-credentials': 'v6',
    '<owner>/lambda-layers': 'v0'
  };
  const readmeWorkflows = [...read('README.md').matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)]
    .map((m) => m[1] ?? '')
    .filter((text) => /^jobs:/m.test(text))
    .map((text, i): [string, string] => [`README.md (workflow ${i + 1})`, text]);
  const EXAMPLES: Array<[string, string]> = [...ymlIn('docs/workflows').map((f): [string, string] => [f, read(f)]), ...readmeWorkflows];
  const EVERY = [...WORKFLOWS.filter(([name]) => name.startsWith('docs/')), ...readmeWorkflows];
  const triggers = (wf: Example) => (typeof wf.on === 'string' ? [wf.on] : Object.keys(wf.on ?? {}));
  const templateText = read('example/template.yaml');

  test('the README has one complete pull-request workflow', () => {
    expect(readmeWorkflows).toHaveLength(1);
  });

  test.each(EVERY)('%s: every action at its current major, this one as <owner>/lambda-layers@v0', (_name, text) => {
    const stale = steps(parse(text) as Workflow)
      .map(({ step }) => step.uses)
      .filter((uses): uses is string => uses !== undefined && uses !== './')
      .filter((uses) => {
        const [action = '', ref] = uses.split('@');
        return CURRENT[action] !== ref;
      });
    expect(stale).toEqual([]);
  });

  test.each(EVERY)('%s: no ${{ }} inside run:, outputs go through env:', (_name, text) => {
    const spliced = steps(parse(text) as Workflow).filter(({ step }) => step.run?.includes('${{'));
    expect(spliced.map(({ job, step }) => `${job}: ${step.run}`)).toEqual([]);
  });

  test.each(EXAMPLES)('%s: pull_request runs share a concurrency group per PR and only they are cancelled', (_name, text) => {
    const wf = parse(text) as Example;
    if (!triggers(wf).includes('pull_request')) return;
    expect(wf.concurrency?.group).toContain('github.event.pull_request.number');
    expect(wf.concurrency?.['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  test.each(EXAMPLES)('%s: pull-requests: write only on the job that posts, never for the whole workflow', (_name, text) => {
    const wf = parse(text) as Example;
    expect(JSON.stringify(wf.permissions ?? {})).not.toMatch(/pull-requests":"write|write-all/);
    for (const [name, job] of Object.entries(wf.jobs ?? {})) {
      const posts = (job.steps ?? []).some(
        (s) => isThisAction(s.uses) && s.with?.['comment'] !== 'never' && s.with?.['layers'] === undefined
      );
      const writes = typeof job.permissions === 'object' && job.permissions['pull-requests'] === 'write';
      expect(`${name}: ${writes ? 'writes' : 'reads'}`).toBe(
        `${name}: ${posts && triggers(wf).some((t) => /pull_request|workflow_run/.test(t)) ? 'writes' : 'reads'}`
      );
    }
  });

  test.each(EXAMPLES)('%s: every checkout has persist-credentials: false (nothing pushes)', (_name, text) => {
    const checkouts = steps(parse(text) as Workflow).filter(({ step }) => step.uses?.startsWith('actions/checkout@'));
    for (const { step } of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
  });

  test.each(EXAMPLES)("%s: python-version matches the example template's runtime, with a note saying so", (_name, text) => {
    const runtime = /^\s+Runtime: python(3\.\d+)$/m.exec(templateText)?.[1];
    const setups = steps(parse(text) as Workflow).filter(({ step }) => step.uses?.startsWith('actions/setup-python@'));
    for (const { step } of setups) expect(step.with?.['python-version']).toBe(runtime);
    for (const line of text.split('\n').filter((l) => l.includes('python-version:'))) expect(line).toMatch(/# .*Runtime/);
  });

  test.each(EXAMPLES)('%s: matrix layers are layers of the example template', (_name, text) => {
    const layers = Object.values((parse(text) as Example).jobs ?? {}).flatMap((j) => j.strategy?.matrix?.layer ?? []);
    for (const layer of layers) expect(templateText).toMatch(new RegExp(`^  ${layer}:\\n    Type: AWS::Serverless::LayerVersion`, 'm'));
  });
});
