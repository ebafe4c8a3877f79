import type { ReportDiff } from './report-diff.js';
import { renderSizes, type RenderContext } from './size-markdown.js';

/** A step's job summary may not exceed 1 MiB; keep a margin for the other lines a step may add. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 16 * 1024;

/** The job summary: every row of every table, nothing collapsed. Pure. */
export function renderSummary(diff: ReportDiff, ctx: RenderContext): string {
  return renderSizes(diff, ctx, {
    collapse: false,
    maxSize: SUMMARY_MAX_BYTES,
    measure: (text) => Buffer.byteLength(text, 'utf8'),
    fullTableIn: 'the report (the report output) has them'
  });
}
