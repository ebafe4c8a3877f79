/** Megabytes (10^6 bytes), one decimal: the unit of every bench table. */
export const MB = (bytes: number) => (bytes / 1e6).toFixed(1);

/** A Markdown table, the first column left-aligned and the rest right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`)
  ].join('\n');
}
