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
    const layers = f.after && f.status !== 'failed' ? f.after.map((arn) => `\`${arn}\``).join('<br>') : '';
    return `| ${f.logicalId} | ${f.functionName ?? ''} | ${STATUS_TEXT[f.status]} | ${layers} | ${note.replace(/\|/g, '\\|')} |`;
  });
  const lines = [
    `### Rollback ${outcome.ok ? 'done' : 'incomplete'}`,
    '',
    `Manifest: \`${manifestFile}\``,
    '',
    '| Function | Name | Result | Layers now | Note |',
    '|---|---|---|---|---|',
    ...rows
  ];
  if (outcome.firstPublished.length) {
    lines.push('', `No previous version (first published by that release): ${outcome.firstPublished.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

/** Markdown for the job summary in print mode. */
export function renderOverridesSummary(pairs: readonly string[], manifestFile: string): string {
  if (!pairs.length)
    return `### Rollback: previous layer versions\n\nManifest: \`${manifestFile}\`\n\nNo layer of the manifest has a previous version.\n`;
  return [
    '### Rollback: previous layer versions',
    '',
    `Manifest: \`${manifestFile}\``,
    '',
    '```sh',
    `sam deploy --parameter-overrides ${pairs.join(' ')}`,
    '```',
    ''
  ].join('\n');
}
