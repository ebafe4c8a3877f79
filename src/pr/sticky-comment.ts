import type { Logger } from '../shared/logger.js';
import type { Octokit, Repo } from './pr-context.js';
import { markerFor } from './size-markdown.js';
import { errorMessage } from '../shared/errors.js';
import type { CommentMode } from '../settings/pr-settings.js';

export type CommentOutcome = 'created' | 'updated' | 'skipped' | 'forbidden';

interface IssueComment {
  id: number;
  body?: string;
  user: { login: string } | null;
}

/** `github-actions[bot]` (REST author) and `github-actions` are the same identity. */
export const sameLogin = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase().replace(/\[bot\]$/, '') === b.toLowerCase().replace(/\[bot\]$/, '');

const statusOf = (error: unknown) => (error as { status?: number }).status;

/**
 * Who the token is. REST `GET /user` answers 403 for the runner's GITHUB_TOKEN (an installation
 * token); GraphQL's viewer answers for both kinds. Undefined when neither does.
 */
export async function tokenLogin(octokit: Octokit, logger: Logger): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    // An installation token: ask GraphQL.
  }
  try {
    const answer = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    return answer.viewer.login;
  } catch (error) {
    logger.warning(
      `could not learn the token's identity (GET /user and GraphQL viewer failed: ${errorMessage(error).replace(/\s+/g, ' ')}): no duplicate comment is deleted this run`
    );
    return undefined;
  }
}

/** Comments that carry our marker, oldest first, whoever wrote them (every page: long threads have hundreds). */
async function markedComments(octokit: Octokit, repo: Repo, issue: number, marker: string): Promise<IssueComment[]> {
  const all = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 });
  return all.filter((c) => (c.body ?? '').trimStart().startsWith(marker));
}

export interface StickyRequest {
  repo: Repo;
  issue: number;
  commentKey: string;
  body: string;
  mode: CommentMode;
  /** Something beyond the thresholds changed: on-change posts a new comment only then. */
  changed: boolean;
}

/**
 * One comment per pull request and comment key: found by the hidden marker AND the token's own
 * identity (anyone can paste a marker), updated in place; our stray duplicates are deleted; other
 * people's comments are never touched. A read-only token (fork PRs) gives `forbidden`, not an error.
 */
export async function upsertStickyComment(octokit: Octokit, request: StickyRequest, logger: Logger): Promise<CommentOutcome> {
  const { repo, issue, body, mode } = request;
  if (mode === 'never') return 'skipped';
  const marker = markerFor(request.commentKey);
  const login = await tokenLogin(octokit, logger);
  const marked = await markedComments(octokit, repo, issue, marker);
  const ours = login ? marked.filter((c) => sameLogin(c.user?.login, login)) : [];
  const others = marked.length - ours.length;
  if (others && login) logger.info(`left alone ${others} comment(s) with our marker by another author`);
  const [keep, ...strays] = ours;
  if (!keep && mode === 'on-change' && !request.changed) {
    logger.info('no size change beyond the thresholds: no comment posted (comment: on-change)');
    return 'skipped';
  }
  try {
    if (keep) {
      await octokit.rest.issues.updateComment({ ...repo, comment_id: keep.id, body });
      logger.info(`updated comment ${keep.id} on #${issue}`);
    } else {
      const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body });
      logger.info(`created comment ${data.id} on #${issue}${login ? '' : ` as ${data.user?.login ?? 'unknown'}`}`);
    }
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) {
      logger.warning(
        `cannot comment on #${issue} (${status}: ${errorMessage(error)}). Pull requests from forks get a read-only token: ` +
          'the sizes are in the job summary and the comment-body output; post them with the workflow_run pattern (docs/github.md).'
      );
      return 'forbidden';
    }
    throw error;
  }
  for (const stray of strays) {
    try {
      await octokit.rest.issues.deleteComment({ ...repo, comment_id: stray.id });
      logger.info(`deleted duplicate comment ${stray.id}`);
    } catch (error) {
      logger.warning(`could not delete duplicate comment ${stray.id}: ${errorMessage(error)}`);
    }
  }
  return keep ? 'updated' : 'created';
}
