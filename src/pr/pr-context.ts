import type { getOctokit } from '@actions/github';
import { readFile } from 'node:fs/promises';
import { isObject, type Json } from '../shared/json.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface Repo {
  owner: string;
  repo: string;
}

export interface PullRequest {
  number: number;
  headSha: string;
  /** The base branch's tip when the event fired (not what to compare against: see resolveBaseSha). */
  baseSha: string;
  /** Fork PRs get a read-only token: posting fails, the summary does not. */
  fork: boolean;
}

/** What the run is about, from the runner's variables and the event payload. */
export interface RunContext {
  eventName: string;
  repo?: Repo;
  /** The commit measured: GITHUB_SHA (the merge ref on pull_request events). */
  sha?: string;
  /** The repository's web address: GITHUB_SERVER_URL/owner/name. */
  repoUrl?: string;
  runUrl?: string;
  pullRequest?: PullRequest;
  defaultBranchPush: boolean;
}

const obj = (v: unknown): Json => (isObject(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Pure: environment and payload in, run context out. */
export function readRunContext(env: NodeJS.ProcessEnv, payload: unknown): RunContext {
  const event = obj(payload);
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  const server = env['GITHUB_SERVER_URL'] || 'https://github.com';
  const repository = obj(event['repository']);
  const pr = obj(event['pull_request']);
  const head = obj(pr['head']);
  const number = typeof pr['number'] === 'number' ? pr['number'] : undefined;
  const headSha = str(head['sha']);
  const baseSha = str(obj(pr['base'])['sha']);
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  const defaultBranch = str(repository['default_branch']);
  return {
    eventName,
    ...(owner && repo && { repo: { owner, repo } }),
    ...(env['GITHUB_SHA'] && { sha: env['GITHUB_SHA'] }),
    ...(owner && repo && { repoUrl: `${server}/${owner}/${repo}` }),
    ...(owner && repo && env['GITHUB_RUN_ID'] && { runUrl: `${server}/${owner}/${repo}/actions/runs/${env['GITHUB_RUN_ID']}` }),
    ...(number !== undefined &&
      headSha &&
      baseSha && {
        // A deleted fork has no head repository: still not ours.
        pullRequest: { number, headSha, baseSha, fork: str(obj(head['repo'])['full_name']) !== str(repository['full_name']) }
      }),
    defaultBranchPush: eventName === 'push' && defaultBranch !== undefined && event['ref'] === `refs/heads/${defaultBranch}`
  };
}

export async function loadRunContext(env: NodeJS.ProcessEnv): Promise<RunContext> {
  const file = env['GITHUB_EVENT_PATH'];
  const payload: unknown = file ? JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) : {};
  return readRunContext(env, payload);
}

/** A pull request by number, for the posting side of the two-workflow pattern (no pull_request payload there). */
export async function fetchPullRequest(octokit: Octokit, repo: Repo, number: number): Promise<PullRequest> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return { number, headSha: data.head.sha, baseSha: data.base.sha, fork: data.head.repo?.full_name !== data.base.repo.full_name };
}

/**
 * The commit whose report the head is compared with. When the measured commit is the PR's merge ref
 * (pull_request events check it out), its first parent is exactly the base it was merged onto; when the
 * PR head itself was measured, the merge-base: what the branch started from, not the base branch's tip.
 */
export async function resolveBaseSha(octokit: Octokit, repo: Repo, pr: PullRequest, measuredSha: string): Promise<string> {
  if (measuredSha !== pr.headSha) {
    const { data } = await octokit.rest.repos.getCommit({ ...repo, ref: measuredSha });
    const parent = data.parents[0]?.sha;
    if (!parent) throw new Error(`commit ${measuredSha} has no parent`);
    return parent;
  }
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${pr.baseSha}...${pr.headSha}` });
  return data.merge_base_commit.sha;
}
