import { codeBlock, codeSpan, escapeMarkdown } from '../shared/markdown.js';
import type { RollbackOutcome } from './rollback.js';

const STATUS_TEXT = {
  'rolled-back': 'rolled back',
  'already-rolled-back': 'already on the previous versions',
  'no-function-name': 'skipped: physical name not known',
  failed: 'failed'
} as const;

/** Markdown for the job summary: what rollback did to each function. */
export function renderRollbackSummary(outcome: RollbackOutcome, manifestFile: string): string {
  const rows = outcome.functions.map((f) => {
    const note = [f.error, f.noPrevious.length ? `kept (no previous version): ${f.noPrevious.join(', ')}` : undefined]
      .filter(Boolean)
      .join('; ');
    const layers = f.after && f.status !== 'failed' ? f.after.map((arn) => codeSpan(arn)).join('<br>') : '';
    return `| ${escapeMarkdown(f.logicalId)} | ${escapeMarkdown(f.functionName ?? '')} | ${STATUS_TEXT[f.status]} | ${layers} | ${escapeMarkdown(note)} |`;
  });
  const lines = [
    `### Rollback ${outcome.ok ? 'done' : 'incomplete'}`,
    '',
    `Manifest: ${codeSpan(manifestFile)}`,
    '',
    '| Function | Name | Result | Layers now | Note |',
    '|---|---|---|---|---|',
    ...rows
  ];
  if (outcome.firstPublished.length) {
    lines.push('', `No previous version (first published by that release): ${escapeMarkdown(outcome.firstPublished.join(', '))}`);
  }
  return lines.join('\n') + '\n';
}

/** Markdown for the job summary in print mode. */
export function renderOverridesSummary(pairs: readonly string[], manifestFile: string): string {
  if (!pairs.length)
    return `### Rollback: previous layer versions\n\nManifest: ${codeSpan(manifestFile)}\n\nNo layer of the manifest has a previous version.\n`;
  return [
    '### Rollback: previous layer versions',
    '',
    `Manifest: ${codeSpan(manifestFile)}`,
    '',
    codeBlock(`sam deploy --parameter-overrides ${pairs.join(' ')}`, 'sh'),
    ''
  ].join('\n');
}
