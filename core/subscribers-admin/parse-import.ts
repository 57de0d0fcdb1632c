import type { Cadence } from '../model.js';
import { emailProblem, normalizeEmail } from '../normalize-email.js';
import { quoteValue } from '../subscriptions/field-problem.js';
import { MAX_EMAIL_LENGTH } from '../subscriptions/parse-subscribe-request.js';
import { type CsvLine, readCsvLines } from './read-csv-lines.js';

/** Largest CSV one import request takes; longer lists go in parts (the CLI splits them). */
export const MAX_IMPORT_BYTES = 256 * 1024;
/** Most data rows one import request takes. */
export const MAX_IMPORT_ROWS = 500;

/** Column names a header may use, lower-cased, for each field the import reads. */
const COLUMN_NAMES = {
  email: ['email', 'email address', 'e-mail', 'e-mail address', 'mail', 'address'],
  cadence: ['cadence'],
  topics: ['topics', 'topic', 'tags'],
} as const;

type Column = keyof typeof COLUMN_NAMES;

/** Where each field is in the rows: from a header, or `email,cadence,topics` without one. */
export interface ImportColumns {
  email: number;
  cadence: number | undefined;
  topics: number | undefined;
  /** True when the first record named the columns. */
  header: boolean;
  /** Header columns the import does not read (names, dates…), as written. */
  ignored: string[];
}

/** What rows may hold, from the publication. */
export interface ImportRules {
  cadences: readonly Cadence[];
  /** The cadence of a row that names none. */
  defaultCadence: Cadence;
  knownTopics: readonly string[];
  maxRows?: number | undefined;
  maxBytes?: number | undefined;
  /**
   * Added to every line number reported: the CLI sends a long file in parts, each with the
   * header, and passes the offset so that numbers still point into the editor's file.
   */
  lineOffset?: number | undefined;
}

/** A valid row, normalized. */
export interface ImportRow {
  /** Line in the file. */
  row: number;
  /** Normalized address. */
  email: string;
  cadence: Cadence;
  topics: string[];
}

/** A row left out, and why. */
export interface RejectedRow {
  row: number;
  reason: string;
}

export type ParsedImport =
  | { ok: true; rows: ImportRow[]; rejected: RejectedRow[]; columns: ImportColumns }
  /** The file as a whole cannot be imported (too large, no email column, not text). */
  | { ok: false; problem: string };

/**
 * Reads and validates a subscriber CSV: an optional header (`email`, `cadence`, `topics`, in any
 * order, other columns ignored; without one the columns are `email,cadence,topics`), then one
 * subscriber per line. Every row is checked, and each bad one is reported with its line and the
 * reason: an address that is not plain and valid, CR/LF or control characters, an unknown
 * cadence or topic, a second row for the same address, a quote out of place. Topics in a cell
 * are separated by `;`, `|`, `,` or spaces. Nothing is written here.
 */
export function parseImport(text: string, rules: ImportRules): ParsedImport {
  const maxBytes = rules.maxBytes ?? MAX_IMPORT_BYTES;
  const maxRows = rules.maxRows ?? MAX_IMPORT_ROWS;
  const offset = rules.lineOffset ?? 0;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxBytes) {
    return {
      ok: false,
      problem: `the file is ${bytes.toLocaleString('en')} bytes; one import takes at most ${maxBytes.toLocaleString('en')} (split it, or use \`gazette subscribers import\`, which sends it in parts)`,
    };
  }
  if (text.includes('\u0000'))
    return { ok: false, problem: 'the file is not text (it holds NUL bytes): export it as CSV' };

  const { records, problems } = readCsvLines(text);
  const rejected: RejectedRow[] = problems.map((p) => ({ row: p.line + offset, reason: p.reason }));
  const first = records[0];
  if (!first) return { ok: true, rows: [], rejected: sortRows(rejected), columns: positional() };
  const columns = findColumns(first);
  if (typeof columns === 'string') return { ok: false, problem: columns };
  const data = columns.header ? records.slice(1) : records;
  if (data.length > maxRows) {
    return {
      ok: false,
      problem: `the file has ${data.length.toLocaleString('en')} rows; one import takes at most ${maxRows.toLocaleString('en')} (split it, or use \`gazette subscribers import\`, which sends it in parts)`,
    };
  }

  const rows: ImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const record of data) {
    const row = record.line + offset;
    const checked = checkRow(record, columns, rules);
    if (typeof checked === 'string') {
      rejected.push({ row, reason: checked });
      continue;
    }
    const earlier = firstRowOf.get(checked.email);
    if (earlier !== undefined) {
      rejected.push({ row, reason: `duplicate: the same address as row ${earlier}` });
      continue;
    }
    firstRowOf.set(checked.email, row);
    rows.push({ row, ...checked });
  }
  return { ok: true, rows, rejected: sortRows(rejected), columns };
}

/**
 * The columns of a file from its first record: a header when one of its cells names the email
 * column, else the positional `email,cadence,topics`. A header without an email column is an
 * error, since no row could be read.
 */
export function findColumns(first: CsvLine): ImportColumns | string {
  const names = first.fields.map((f) => f.trim().toLowerCase());
  const find = (column: Column) => {
    const index = names.findIndex((n) => (COLUMN_NAMES[column] as readonly string[]).includes(n));
    return index < 0 ? undefined : index;
  };
  const email = find('email');
  const cadence = find('cadence');
  const topics = find('topics');
  const looksLikeHeader = email !== undefined || cadence !== undefined || topics !== undefined;
  if (!looksLikeHeader) return positional();
  if (email === undefined) {
    return `the header (line ${first.line}) has no email column: name it "email" (other columns: cadence, topics)`;
  }
  const used = new Set([email, cadence, topics].filter((i): i is number => i !== undefined));
  const ignored = first.fields.filter((name, i) => !used.has(i) && name.trim() !== '');
  return { email, cadence, topics, header: true, ignored };
}

function positional(): ImportColumns {
  return { email: 0, cadence: 1, topics: 2, header: false, ignored: [] };
}

/** A CSV export defuses cells that look like formulas with a leading apostrophe: undo it. */
function cell(record: CsvLine, index: number | undefined): string {
  if (index === undefined) return '';
  const value = (record.fields[index] ?? '').trim();
  return /^'[=+\-@]/.test(value) ? value.slice(1) : value;
}

/** Line breaks can't occur (a record is a line), but other control characters can. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

function checkRow(
  record: CsvLine,
  columns: ImportColumns,
  rules: ImportRules,
): Omit<ImportRow, 'row'> | string {
  if (record.fields.some((f) => CONTROL.test(f))) return 'a field holds a control character';
  const raw = cell(record, columns.email);
  if (raw === '') return 'email: is empty';
  if (raw.length > MAX_EMAIL_LENGTH) return `email: must be at most ${MAX_EMAIL_LENGTH} characters long`;
  const email = normalizeEmail(raw);
  const problem = emailProblem(email);
  if (problem) return `email: ${problem}`;

  const cadenceText = cell(record, columns.cadence).toLowerCase();
  let cadence = rules.defaultCadence;
  if (cadenceText !== '') {
    const found = rules.cadences.find((c) => c === cadenceText);
    if (!found) {
      return `cadence: unknown cadence ${quoteValue(cadenceText)} (one of ${rules.cadences.join(', ')})`;
    }
    cadence = found;
  }

  const topics: string[] = [];
  for (const topic of cell(record, columns.topics)
    .toLowerCase()
    .split(/[;|,\s]+/)) {
    if (topic === '') continue;
    if (!rules.knownTopics.includes(topic)) {
      return `topics: unknown topic ${quoteValue(topic)}${rules.knownTopics.length > 0 ? ` (known: ${rules.knownTopics.join(', ')})` : ' (the publication has no topics yet)'}`;
    }
    if (!topics.includes(topic)) topics.push(topic);
  }
  return { email, cadence, topics };
}

function sortRows(rows: RejectedRow[]): RejectedRow[] {
  return rows.sort((a, b) => a.row - b.row);
}
