/**
 * CSV for subscriber lists, read one line at a time. RFC 4180 quoting works within a line
 * (`"a, b"`, `"say ""hi"""`), but a record never spans lines: an address, a cadence or a topic
 * holds no line break, and a quote left open must cost the one line it is on, not swallow every
 * row after it (which is what general CSV parsers do with a stray quote). Every line of the
 * file is accounted for: a record, a problem, or blank.
 */

/** One line of a CSV file, split into fields. */
export interface CsvLine {
  /** 1-based line number in the file. */
  line: number;
  fields: string[];
}

/** A line that is not valid CSV, and why. */
export interface CsvLineProblem {
  line: number;
  reason: string;
}

export interface CsvLines {
  records: CsvLine[];
  problems: CsvLineProblem[];
}

/**
 * Splits text into CSV records, one per non-blank line (CRLF, LF or a lone CR ends a line; a
 * leading byte-order mark is dropped). A line whose quotes do not balance, or with a quote in
 * the middle of an unquoted field, becomes a problem naming its line.
 */
export function readCsvLines(text: string): CsvLines {
  const source = text.startsWith('\ufeff') ? text.slice(1) : text;
  const lines = source.split(/\r\n|\n|\r/);
  // A final line break does not start one more (empty) line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const records: CsvLine[] = [];
  const problems: CsvLineProblem[] = [];
  lines.forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    const parsed = splitFields(content);
    if (typeof parsed === 'string') problems.push({ line, reason: parsed });
    else records.push({ line, fields: parsed });
  });
  return { records, problems };
}

/** The fields of one line, or why it cannot be read. */
function splitFields(content: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    // Spaces before an opening quote are tolerated: spreadsheets and people write `a, "b"`.
    let j = i;
    while (content[j] === ' ' || content[j] === '\t') j++;
    if (content[j] === '"') {
      let value = '';
      let k = j + 1;
      for (;;) {
        const quote = content.indexOf('"', k);
        if (quote < 0) {
          return 'a quoted field is not closed on this line (fields may not hold line breaks)';
        }
        value += content.slice(k, quote);
        if (content[quote + 1] === '"') {
          value += '"';
          k = quote + 2;
          continue;
        }
        k = quote + 1;
        break;
      }
      while (content[k] === ' ' || content[k] === '\t') k++;
      fields.push(value);
      if (k >= content.length) return fields;
      if (content[k] !== ',') return 'text after a closing quote: write "" for a quote inside a quoted field';
      i = k + 1;
      continue;
    }
    const comma = content.indexOf(',', i);
    const value = comma < 0 ? content.slice(i) : content.slice(i, comma);
    if (value.includes('"')) {
      return 'a quote inside an unquoted field: quote the whole field and write "" for the quote';
    }
    fields.push(value.trim());
    if (comma < 0) return fields;
    i = comma + 1;
  }
}

/**
 * One CSV field as text a spreadsheet will not execute: quoted when it holds a comma, a quote
 * or a line break, and a leading `=`, `+`, `-`, `@`, tab or CR (a formula to Excel and
 * LibreOffice) defused with an apostrophe, as OWASP advises for CSV exports.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (without its line break) from fields. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}
