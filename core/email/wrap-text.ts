/**
 * Word wrap for the plain-text part. Lines are cut between words only: a URL or any word longer
 * than the width keeps its own line whole, so links stay clickable.
 */
export function wrapText(text: string, width = 72, indent = ''): string {
  const out: string[] = [];
  for (const paragraph of text.split(/\r\n|\n|\r/)) {
    const words = paragraph.split(/[ \t]+/).filter((w) => w !== '');
    if (words.length === 0) {
      out.push('');
      continue;
    }
    let line = '';
    for (const word of words) {
      if (line === '') line = word;
      else if (indent.length + line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        out.push(indent + line);
        line = word;
      }
    }
    out.push(indent + line);
  }
  return out.join('\n');
}
