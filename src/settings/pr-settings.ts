import path from 'node:path';
import { InputError } from '../shared/errors.js';
import type { CommentMode } from '../pr/sticky-comment.js';

/** What the pull-request comment, the job summary and the size gates do; parsed from action inputs. */
export interface GitHubSettings {
  comment: CommentMode;
  commentKey: string;
  minChangeBytes: number;
  minChangePercent: number;
  failOnIncrease: boolean;
  /** Warn about functions above this percentage of the unzipped limit. */
  warnAtLimitPercent?: number;
  token: string;
  /** A base report file (absolute): wins over the stored base reports. */
  baseReport?: string;
  /** The posting side of the two-workflow pattern: which PR, which commit was measured. */
  prNumber?: number;
  headSha?: string;
}

export interface RawGitHubSettings {
  comment?: string;
  commentKey?: string;
  minChangeBytes?: string;
  minChangePercent?: string;
  failOnIncrease?: string;
  warnAtLimitPercent?: string;
  token?: string;
  baseReport?: string;
  prNumber?: string;
  headSha?: string;
}

const MODES: CommentMode[] = ['always', 'on-change', 'never'];

function number(value: string | undefined, input: string, fallback: number, max = Infinity): number {
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new InputError(`input ${input} must be a number from 0 to ${max}, got "${value}"`);
  return n;
}

export function resolveGitHubSettings(raw: RawGitHubSettings, workingDirectory: string): GitHubSettings {
  const comment = (raw.comment || 'always') as CommentMode;
  if (!MODES.includes(comment)) throw new InputError(`input comment must be one of ${MODES.join(', ')}, got "${raw.comment}"`);
  const commentKey = raw.commentKey || 'lambda-layers';
  // The key goes into an HTML comment: nothing that could close it.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(commentKey)) {
    throw new InputError(`input comment-key must be 1 to 64 letters, digits, '.', '_' or '-', got "${commentKey}"`);
  }
  if (raw.failOnIncrease && raw.failOnIncrease !== 'true' && raw.failOnIncrease !== 'false') {
    throw new InputError(`input fail-on-increase must be true or false, got "${raw.failOnIncrease}"`);
  }
  const prNumber = raw.prNumber ? Number(raw.prNumber) : undefined;
  if (prNumber !== undefined && !(Number.isInteger(prNumber) && prNumber > 0)) {
    throw new InputError(`input pr-number must be a pull request number, got "${raw.prNumber}"`);
  }
  if (raw.headSha && !/^[0-9a-f]{40}$/.test(raw.headSha))
    throw new InputError(`input head-sha must be a 40-character commit SHA, got "${raw.headSha}"`);
  return {
    comment,
    commentKey,
    minChangeBytes: number(raw.minChangeBytes, 'min-change-bytes', 1),
    minChangePercent: number(raw.minChangePercent, 'min-change-percent', 0),
    failOnIncrease: raw.failOnIncrease === 'true',
    ...(raw.warnAtLimitPercent && { warnAtLimitPercent: number(raw.warnAtLimitPercent, 'warn-at-limit-percent', 0, 100) }),
    token: raw.token ?? '',
    ...(raw.baseReport && { baseReport: path.resolve(workingDirectory, raw.baseReport) }),
    ...(prNumber !== undefined && { prNumber }),
    ...(raw.headSha && { headSha: raw.headSha })
  };
}
