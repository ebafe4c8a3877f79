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
