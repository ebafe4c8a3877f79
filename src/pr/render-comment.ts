import type { ReportDiff } from './report-diff.js';
import { renderSizes, type RenderContext } from './size-markdown.js';

/** GitHub rejects comment bodies over 65,536 characters; keep a margin for what it counts differently. */
export const COMMENT_MAX_CHARS = 65_000;

/** The pull-request comment: marker, verdict, the functions that changed, why, the rest collapsed, footer. Pure. */
export function renderComment(diff: ReportDiff, ctx: RenderContext): string {
  // UTF-16 length: never less than the characters GitHub counts.
  return renderSizes(diff, ctx, {
    collapse: true,
    maxSize: COMMENT_MAX_CHARS,
    measure: (text) => text.length,
    fullTableIn: 'the job summary and the report have them',
    runLink: 'full report in the job summary',
    why: { packages: 5, artifacts: 10 }
  });
}
