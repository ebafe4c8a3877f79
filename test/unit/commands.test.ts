import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { comment } from '../../src/commands/comment.js';
import type { CommandDeps } from '../../src/commands/command.js';
import { merge } from '../../src/commands/merge.js';
import type { Report } from '../../src/report/report.js';
import type { Logger } from '../../src/shared/logger.js';
import { actionInputsFrom, functionReport, layerReport, makeReport, MiB } from './fixtures.js';
import { fakeTools } from '../helpers/fake-tools.js';

/** The policy of the report commands, in-process on report files: nothing built, nothing posted (no GitHub here). */

const quiet: Logger = { info: () => undefined, warning: () => undefined, error: () => undefined, detail: () => undefined };
const CORE = layerReport({ name: 'Core', unzippedBytes: 50 * MiB });
const WITHIN = makeReport({
  layers: [CORE],
  functions: [functionReport({ name: 'Validate', layers: ['Core'], totalUnzippedBytes: 51 * MiB })]
});
const OVER = makeReport({
  layers: [CORE],
  functions: [
    functionReport({ name: 'Validate', layers: ['Core'], totalUnzippedBytes: 300 * MiB, withinLimits: false, violations: ['too big'] })
  ],
  withinLimits: false
});

let repo: string;
const deps = (runner: boolean): CommandDeps => ({
  logger: quiet,
  env: {},
  cwd: repo,
  now: () => new Date(0),
  clock: () => 0,
  // merge and comment run no tool: the fakes would fail any call.
  tools: fakeTools({ index: [] }),
  ...(runner && { runner: { cache: undefined } })
});
const write = async (file: string, report: Report) => {
  await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
  await writeFile(path.join(repo, file), JSON.stringify(report));
};

beforeAll(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'lambda-layers-commands-'));
  await write('jobs/within/report.json', WITHIN);
  await write('jobs/over/report.json', OVER);
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('merge', () => {
  test('a report within the limits: written, the report outputs set, no failure; locally nothing for GitHub', async () => {
    const result = await merge(actionInputsFrom({ reports: 'jobs/within/report.json', report: 'merged.json' }), deps(false));
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toEqual({
      report: path.join(repo, 'merged.json'),
      sizes: expect.stringContaining('"Core"') as string,
      'within-limits': 'true',
      'cache-hits': '[]'
    });
    expect(JSON.parse(await readFile(path.join(repo, 'merged.json'), 'utf8'))).toMatchObject({ withinLimits: true });
  });

  test('over the limits: the run fails; on a runner the comment body and summary are still produced', async () => {
    const result = await merge(actionInputsFrom({ reports: 'jobs/over/report.json', report: 'over.json' }), deps(true));
    expect(result.failure).toBe('over the Lambda size limits: see the errors above');
    expect(result.outputs['within-limits']).toBe('false');
    expect(result.outputs['comment-body']).toContain('Validate');
    expect(result.summary).toContain('Validate');
  });
});

describe('comment', () => {
  test('posts for a report over the limits without failing: the measuring run fails, not the posting run', async () => {
    const result = await comment(actionInputsFrom({ report: 'jobs/over/report.json' }), deps(true));
    expect(result.failure).toBeUndefined();
    expect(result.outputs['within-limits']).toBe('false');
    expect(result.outputs['comment-body']).toContain('Validate');
  });
});
