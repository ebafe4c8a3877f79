/** Names come from templates and packages: any markdown or HTML in them is shown, never rendered. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~<>&]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b');
}

/** A GitHub markdown table; cells are already escaped. */
export function markdownTable(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const align = header.map((_, i) => (rightAligned.has(i) ? '---:' : ':---'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Text as a code span that nothing in it can close: the fence is longer than any run of backticks inside (CommonMark). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const fence = '`'.repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block that nothing in `text` can close. */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}
