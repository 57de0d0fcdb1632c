/** A GitHub-flavoured Markdown table that also reads well in a terminal (columns padded). */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  for (const [i, row] of rows.entries()) {
    if (row.length !== header.length) {
      throw new RangeError(`table row ${i + 1} has ${row.length} cells, the header ${header.length}`);
    }
  }
  const cell = (text: string) => text.replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
  const cells = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, c) => Math.max(3, ...cells.map((row) => [...(row[c] as string)].length)));
  const pad = (text: string, c: number) => {
    const width = widths[c] as number;
    const fill = ' '.repeat(width - [...text].length);
    return align[c] === 'right' ? fill + text : text + fill;
  };
  const line = (row: readonly string[]) => `| ${row.map((text, c) => pad(text, c)).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head as string[]), rule, ...body.map(line)].join('\n');
}
