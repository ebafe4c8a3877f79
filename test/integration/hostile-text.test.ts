import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RollbackManifest } from '../../src/rollback/manifest.js';
import type { Report } from '../../src/report/report.js';
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js';
import { runAction } from '../helpers/run-action.js';
import { makeSampleApp, runCli, TEMPLATE, type SampleApp } from '../helpers/sample-app.js';
import { forgedCommands } from '../helpers/workflow-commands.js';
import { functionReport, layerReport, makeReport, MiB } from '../unit/fixtures.js';

/**
 * Everything a pull request's code can write (template values, requirements, reports, manifests) reaches the
 * log or a comment of a privileged run: none of it may start a workflow command or render as markdown.
 * Every payload carries MARKER in its command and its data, so forgedCommands tells it from our own lines.
 */
const MARKER = 'FORGED';
const PAYLOADS = [
  `::error title=${MARKER}::${MARKER}`,
  `Core\n::stop-commands::${MARKER}`,
  `Core\r::warning::${MARKER}`,
  `Core##[error]${MARKER}`,
  `Core\n  ::add-mask::${MARKER}`
];
const HEAD = 'a'.repeat(40);

let app: SampleApp;
let server: GitHubServer;
let files: string;

const REPORT = makeReport({
  layers: [layerReport({ name: 'CoreLayer', unzippedBytes: 20 * MiB, packages: [{ name: 'numpy', version: '2.0.0', bytes: MiB }] })],
  functions: [functionReport({ name: 'Predict', layers: ['CoreLayer'], codeUnzippedBytes: MiB, totalUnzippedBytes: 21 * MiB })]
});
/** A field set to a value of the wrong type. */
const set = (target: object, key: string, value: unknown) => ((target as Record<string, unknown>)[key] = value);
const draft = (change: (r: Report) => void): Report => {
  const copy = structuredClone(REPORT);
  change(copy);
  return copy;
};

async function writeJson(name: string, value: unknown): Promise<string> {
  const file = path.join(files, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

/** A workflow_run job (the posting side of the fork-safe pattern) for pull request #7 of o/r. */
async function workflowRunEnv(): Promise<Record<string, string>> {
  const event = await writeJson('event.json', { repository: { full_name: 'o/r', default_branch: 'main' }, workflow_run: { id: 1 } });
  return {
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_RUN_ID: '42',
    GITHUB_API_URL: server.url
  };
}

const comment = async (report: unknown) =>
  runAction(
    app,
    { command: 'comment', report: await writeJson('downloaded.json', report), 'github-token': 't', 'pr-number': '7', 'head-sha': HEAD },
    await workflowRunEnv()
  );

beforeAll(async () => {
  app = await makeSampleApp();
  server = await startGitHubServer();
  server.state.pulls[7] = { headSha: HEAD, baseSha: 'b'.repeat(40) };
  server.state.mergeBases[`${'b'.repeat(40)}...${HEAD}`] = 'e'.repeat(40);
  files = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-hostile-'));
});
afterAll(async () => {
  await server.close();
  await rm(app.base, { recursive: true, force: true });
  await rm(files, { recursive: true, force: true });
});

describe('command comment with a hostile downloaded report', () => {
  // Every field alone is in test/unit/validate-report.test.ts; here the shipped action, one of each kind.
  const cases: Array<[string, (r: Report) => void, string]> = [
    ['a layer name that is a command', (r) => (r.layers[0]!.name = PAYLOADS[0]!), 'layers[0].name'],
    ['a function name over two lines', (r) => (r.functions[0]!.name = PAYLOADS[1]!), 'functions[0].name'],
    ['a package name over two lines', (r) => (r.layers[0]!.packages[0]!.name = PAYLOADS[4]!), 'layers[0].packages[0].name'],
    ['a size as text', (r) => set(r.layers[0]!, 'unzippedBytes', '20'), 'layers[0].unzippedBytes'],
    ['verification null', (r) => set(r.functions[0]!, 'verification', null), 'functions[0].verification']
  ];
  test.each(cases)('%s: the step fails naming the file and the field; nothing posted, nothing forged', async (_name, change, field) => {
    server.state.comments = [];
    const result = await comment(draft(change));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error file=`);
    expect(result.stdout).toMatch(new RegExp(`downloaded.json: input report: ${field.replace(/[[\].]/g, '\\$&')}: `));
    expect(result.stdout + result.stderr).not.toContain('Cannot read properties');
    expect(forgedCommands(result.stdout + result.stderr, MARKER)).toEqual([]);
    expect(server.state.comments).toEqual([]);
  });

  test('a package name on one line is shown in the size table of the log, escaped', async () => {
    server.state.comments = [];
    const result = await comment(draft((r) => (r.layers[0]!.packages[0]!.name = PAYLOADS[3]!)));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^CoreLayer .* Core##%5Berror\\]${MARKER} 1\\.0 MiB$`, 'm'));
    expect(forgedCommands(result.stdout + result.stderr, MARKER)).toEqual([]);
    expect(server.state.comments).toHaveLength(1);
  });

  test('a report that claims to be within limits over the limit is commented as over the limit', async () => {
    server.state.comments = [];
    const lying = draft((r) => {
      r.functions[0]!.totalUnzippedBytes = 300 * MiB;
      r.functions[0]!.withinLimits = true;
      r.withinLimits = true;
    });
    const result = await comment(lying);
    expect(result.code).toBe(0);
    expect(result.outputs['within-limits']).toBe('false');
    expect(server.state.comments[0]?.body).toContain(':x: **Over the limit**: function **Predict**');
  });
});

describe('merge of hostile matrix reports', () => {
  test('the action and the CLI refuse a hostile name naming the file and the field; nothing forged, nothing written', async () => {
    await writeFile(path.join(app.repo, 'good.json'), JSON.stringify(REPORT));
    await writeFile(path.join(app.repo, 'evil.json'), JSON.stringify(draft((r) => (r.layers[0]!.name = PAYLOADS[1]!))));
    const action = await runAction(app, { command: 'merge', reports: '*.json', report: 'merged.json' });
    expect(action.code).toBe(1);
    expect(action.stdout).toContain('evil.json: input reports: layers[0].name: expected a logical ID');
    expect(forgedCommands(action.stdout + action.stderr, MARKER)).toEqual([]);
    const cli = await runCli(app, ['merge', 'good.json', 'evil.json', '--report', 'merged.json']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('evil.json: merge: layers[0].name: expected a logical ID');
    expect(forgedCommands(cli.stdout + cli.stderr, MARKER)).toEqual([]);
    await expect(readFile(path.join(app.repo, 'merged.json'))).rejects.toThrow();
    await rm(path.join(app.repo, 'evil.json'));
  });

  test("within limits is recomputed from the sizes, not taken from the parts' flags", async () => {
    await writeFile(
      path.join(app.repo, 'over.json'),
      JSON.stringify(
        draft((r) => {
          r.layers = [{ ...r.layers[0]!, name: 'MlLayer', unzippedBytes: 251 * MiB, violations: [] }];
          r.functions = [];
        })
      )
    );
    const result = await runAction(app, { command: 'merge', reports: 'good.json\nover.json', report: 'merged.json' });
    expect(result.code).toBe(1);
    expect(result.outputs['within-limits']).toBe('false');
    expect(result.stdout).toContain('::error::over the Lambda size limits');
  });
});

describe('rollback print with a hostile manifest', () => {
  const arn = (v: number) => `arn:aws:lambda:us-east-1:123456789012:layer:core:${v}`;
  const manifest = (id: string): RollbackManifest => ({
    version: 1,
    region: 'us-east-1',
    createdAt: '2026-11-26T01:30:00.000Z',
    commit: null,
    ref: null,
    layers: { [id]: { layerName: 'core', status: 'published', arn: arn(2), previousArn: arn(1), sha256: 'c'.repeat(64) } },
    functions: {}
  });

  test('a key that is no logical ID is bad input: no --parameter-overrides pair is printed', async () => {
    const file = await writeJson('manifest.json', manifest(`X=1 Y${PAYLOADS[1]}`));
    const cli = await runCli(app, ['rollback', '--print', '--manifest', file], { AWS_REGION: 'us-east-1' });
    expect(cli.code).toBe(2);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toContain('manifest.json: layers: not a logical ID (letters and digits): "X=1 YCore\\n::stop-commands::FORGED"');
    expect(forgedCommands(cli.stdout + cli.stderr, MARKER)).toEqual([]);
    const action = await runAction(app, { command: 'rollback', 'rollback-mode': 'print', manifest: file, region: 'us-east-1' });
    expect(action.code).toBe(1);
    expect(action.outputs['parameter-overrides']).toBeUndefined();
    expect(forgedCommands(action.stdout + action.stderr, MARKER)).toEqual([]);
  });

  test('a valid manifest prints the pairs', async () => {
    const file = await writeJson('manifest.json', manifest('CoreLayer'));
    const cli = await runCli(app, ['rollback', '--print', '--manifest', file], { AWS_REGION: 'us-east-1' });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(`CoreLayer=${arn(1)}\n`);
  });
});

describe('the build log', () => {
  test('a requirement line and a multi-line Runtime from the pull request forge nothing', async () => {
    await writeFile(path.join(app.repo, 'layers/ml/requirements.txt'), `tiny-ml==0.5\nx##[error]${MARKER}\n`);
    const pip = await runAction(app, { layers: 'MlLayer' });
    expect(pip.code).toBe(1);
    // pip's own output quotes the line: it reaches the log escaped.
    expect(pip.stdout).toContain(`x##%5Berror]${MARKER}`);
    expect(forgedCommands(pip.stdout + pip.stderr, MARKER)).toEqual([]);

    await writeFile(
      path.join(app.repo, 'template.yaml'),
      TEMPLATE.replace('Runtime: python3.12', `Runtime: "python3.12\\n::error title=${MARKER}::${MARKER}"`)
    );
    const runtime = await runAction(app, {});
    expect(runtime.code).toBe(1);
    expect(runtime.stdout).toContain('::error');
    expect(forgedCommands(runtime.stdout + runtime.stderr, MARKER)).toEqual([]);
  });
});
