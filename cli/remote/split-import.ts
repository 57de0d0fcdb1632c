import { normalizeEmail } from '../../core/normalize-email.js';
import { findColumns } from '../../core/subscribers-admin/parse-import.js';
import { readCsvLines } from '../../core/subscribers-admin/read-csv-lines.js';

/** One request's worth of a long subscriber file. */
export interface ImportPart {
  /** The CSV sent: the header (when the file has one) and a run of the file's lines. */
  csv: string;
  /** Added by the server to each line number it reports, so that they point into the file. */
  lineOffset: number;
  /** First and last line of the file in this part. */
  firstLine: number;
  lastLine: number;
}

/** Rows per request: each may mean a confirmation mail, and a request must end in seconds. */
export const ROWS_PER_PART = 200;
/** Bytes per request, well under the server's cap. */
export const BYTES_PER_PART = 128 * 1024;

/**
 * Splits a subscriber CSV into parts the import API takes, each with the header repeated and the
 * offset that keeps reported line numbers pointing into the file. A second row for an address
 * already seen in another part is left out here and reported (within one part the server finds
 * it): each address is imported once, from its first row.
 */
export function splitImport(
  text: string,
  limits: { rows?: number; bytes?: number } = {},
): { parts: ImportPart[]; duplicates: Array<{ row: number; reason: string }> } {
  const maxRows = limits.rows ?? ROWS_PER_PART;
  const maxBytes = limits.bytes ?? BYTES_PER_PART;
  const source = text.startsWith('\ufeff') ? text.slice(1) : text;
  const lines = source.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const { records } = readCsvLines(source);
  const first = records[0];
  const columns = first ? findColumns(first) : undefined;
  const header =
    columns !== undefined && typeof columns !== 'string' && columns.header && first ? first.line : 0;
  const emailColumn = columns !== undefined && typeof columns !== 'string' ? columns.email : 0;

  // Duplicates across the file: the first row of an address wins, later ones are blanked.
  const firstRowOf = new Map<string, number>();
  const duplicates: Array<{ row: number; reason: string }> = [];
  for (const record of records) {
    if (record.line === header) continue;
    const email = normalizeEmail((record.fields[emailColumn] ?? '').trim());
    if (email === '') continue;
    const earlier = firstRowOf.get(email);
    if (earlier === undefined) firstRowOf.set(email, record.line);
    else {
      duplicates.push({ row: record.line, reason: `duplicate: the same address as row ${earlier}` });
      lines[record.line - 1] = '';
    }
  }

  const headerText = header > 0 ? `${lines[header - 1]}\n` : '';
  const parts: ImportPart[] = [];
  let start = header + 1;
  while (start <= lines.length) {
    let end = start - 1;
    let rows = 0;
    let bytes = Buffer.byteLength(headerText);
    while (end + 1 <= lines.length) {
      const line = lines[end] ?? '';
      const size = Buffer.byteLength(line) + 1;
      const isRow = line.trim() !== '';
      if (end >= start && ((isRow && rows + 1 > maxRows) || bytes + size > maxBytes)) break;
      end += 1;
      bytes += size;
      if (isRow) rows += 1;
    }
    const body = lines.slice(start - 1, end);
    if (body.some((l) => l.trim() !== '')) {
      parts.push({
        csv: `${headerText}${body.join('\n')}\n`,
        lineOffset: header > 0 ? start - 2 : start - 1,
        firstLine: start,
        lastLine: end,
      });
    }
    start = end + 1;
  }
  return { parts, duplicates };
}
