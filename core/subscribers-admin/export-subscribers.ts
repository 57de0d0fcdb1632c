import type { SubscriberDirectory } from '../ports.js';
import type { Subscriber } from '../subscriber.js';
import { csvLine } from './read-csv-lines.js';

/** Columns of the export, in order. `email,cadence,topics` come first so the file imports back. */
export const EXPORT_COLUMNS = [
  'email',
  'cadence',
  'topics',
  'status',
  'created_at',
  'updated_at',
  'consent_at',
  'consent_form',
  'confirmed_at',
  'imported_consent',
  'unsubscribed_at',
  'suppressed_at',
  'suppression_reason',
  'soft_bounces',
] as const;

/** Records read per page of the directory. */
const PAGE_SIZE = 500;

/** One subscriber as an export row, in {@link EXPORT_COLUMNS} order. Topics are joined with `;`. */
export function exportRow(s: Subscriber): string[] {
  return [
    s.email,
    s.cadence,
    s.topics.join(';'),
    s.status,
    s.createdAt,
    s.updatedAt,
    s.consent.at,
    s.consent.form,
    s.consent.confirmedAt ?? '',
    s.consent.importedConsent === undefined ? '' : String(s.consent.importedConsent),
    s.unsubscribedAt ?? '',
    s.suppressedAt ?? '',
    s.suppressionReason ?? '',
    String(s.softBounces),
  ];
}

/**
 * The subscriber list as CSV lines (header first, each line ending in CRLF as RFC 4180 has it),
 * produced page by page so a large list is never held at once. Cells that a spreadsheet would
 * run as a formula are defused (see csvField); addresses are as stored, never hashed.
 */
export async function* exportSubscribersCsv(directory: SubscriberDirectory): AsyncGenerator<string> {
  yield `${csvLine(EXPORT_COLUMNS)}\r\n`;
  let cursor: string | undefined;
  do {
    const page = await directory.page(cursor, PAGE_SIZE);
    const sorted = [...page.subscribers].sort((a, b) => a.email.localeCompare(b.email, 'en'));
    if (sorted.length > 0) yield sorted.map((s) => `${csvLine(exportRow(s))}\r\n`).join('');
    cursor = page.cursor;
  } while (cursor !== undefined);
}
