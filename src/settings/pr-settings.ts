import path from 'node:path';
import { InputError } from '../shared/errors.js';
import type { InputName, InputSource } from './inputs.js';

/** When the pull-request comment is posted: every run, only when a size changed, or never. */
export type CommentMode = 'always' | 'on-change' | 'never';

/** What the pull-request comment, the job summary and the size gates do; parsed from action inputs. */
export interface GitHubSettings {
  comment: CommentMode;
  commentKey: string;
  minChangeBytes: number;
  minChangePercent: number;
  failOnIncrease: boolean;
  /** A cold start that grew by less than both is not flagged (timings on a shared runner are noisy). */
  minColdStartChangeMs: number;
  minColdStartChangePercent: number;
  /** Warn about functions above this percentage of the unzipped limit. */
  warnAtLimitPercent?: number;
  token: string;
  /** A base report file (absolute): wins over the stored base reports. */
  baseReport?: string;
  /** The posting side of the two-workflow pattern: which PR, which commit was measured. */
  prNumber?: number;
  headSha?: string;
}

const MODES: CommentMode[] = ['always', 'on-change', 'never'];

function number(inputs: InputSource, name: InputName, max = Infinity): number | undefined {
  const n = inputs.number(name);
  if (n !== undefined && (n < 0 || n > max)) {
    throw new InputError(`${inputs.label(name)} must be a number from 0 to ${max}, got "${inputs.string(name)}"`);
  }
  return n;
}

/** The comment, summary and size-gate settings; only the action reports to GitHub. */
export function resolveGitHubSettings(inputs: InputSource, workingDirectory: string): GitHubSettings {
  const comment = inputs.string('comment') as CommentMode;
  if (!MODES.includes(comment)) throw new InputError(`${inputs.label('comment')} must be one of ${MODES.join(', ')}, got "${comment}"`);
  const commentKey = inputs.string('comment-key');
  // The key goes into an HTML comment: nothing that could close it.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(commentKey)) {
    throw new InputError(`${inputs.label('comment-key')} must be 1 to 64 letters, digits, '.', '_' or '-', got "${commentKey}"`);
  }
  const prNumber = inputs.number('pr-number');
  if (prNumber !== undefined && !(Number.isInteger(prNumber) && prNumber > 0)) {
    throw new InputError(`${inputs.label('pr-number')} must be a pull request number, got "${inputs.string('pr-number')}"`);
  }
  const headSha = inputs.string('head-sha');
  if (headSha && !/^[0-9a-f]{40}$/.test(headSha)) {
    throw new InputError(`${inputs.label('head-sha')} must be a 40-character commit SHA, got "${headSha}"`);
  }
  const warnAtLimitPercent = number(inputs, 'warn-at-limit-percent', 100);
  const baseReport = inputs.string('base-report');
  return {
    comment,
    commentKey,
    minChangeBytes: number(inputs, 'min-change-bytes') ?? 0,
    minChangePercent: number(inputs, 'min-change-percent') ?? 0,
    failOnIncrease: inputs.boolean('fail-on-increase') ?? false,
    minColdStartChangeMs: number(inputs, 'min-cold-start-change-ms') ?? 0,
    minColdStartChangePercent: number(inputs, 'min-cold-start-change-percent') ?? 0,
    ...(warnAtLimitPercent !== undefined && { warnAtLimitPercent }),
    token: inputs.string('github-token'),
    ...(baseReport && { baseReport: path.resolve(workingDirectory, baseReport) }),
    ...(prNumber !== undefined && { prNumber }),
    ...(headSha && { headSha })
  };
}
