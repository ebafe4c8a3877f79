import { codeBlock, codeSpan, escapeMarkdown } from '../shared/markdown.js';
import type { RollbackManifest } from '../rollback/manifest.js';

const STATUS_TEXT = { published: 'published', unchanged: 'unchanged', failed: '**failed**' } as const;

const code = (value: string | null): string => (value ? codeSpan(value) : '');

/** Markdown for the job summary: per layer what publishing did, per function its layers after, and the manifest itself. */
export function renderPublishSummary(manifest: RollbackManifest, manifestFile: string): string {
  const layers = Object.entries(manifest.layers).map(
    ([id, l]) =>
      `| ${escapeMarkdown(id)} | ${escapeMarkdown(l.layerName)} | ${STATUS_TEXT[l.status]} | ${code(l.arn)} | ${code(l.previousArn)} | ${escapeMarkdown(l.error ?? '')} |`
  );
  const functions = Object.entries(manifest.functions).map(
    ([id, f]) =>
      `| ${escapeMarkdown(id)} | ${f.functionName ? escapeMarkdown(f.functionName) : '(set by CloudFormation)'} | ${f.before.map(code).join('<br>')} | ${f.after.map(code).join('<br>')} |`
  );
  const failed = Object.values(manifest.layers).some((l) => l.status === 'failed');
  return [
    `### Layer versions ${failed ? 'partly published' : 'published'}${manifest.ref ? ` for ${escapeMarkdown(manifest.ref)}` : ''}`,
    '',
    '| Layer | Name | Result | Version ARN | Previous | Error |',
    '|---|---|---|---|---|---|',
    ...layers,
    '',
    ...(functions.length ? ['| Function | Name | Layers before | Layers after |', '|---|---|---|---|', ...functions, ''] : []),
    `<details><summary>Rollback manifest (<code>${escapeMarkdown(manifestFile)}</code>)</summary>`,
    '',
    codeBlock(JSON.stringify(manifest, null, 2), 'json'),
    '',
    '</details>',
    ''
  ].join('\n');
}
