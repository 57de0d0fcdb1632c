import { createLimiter } from '../delivery/limit-concurrency.js';
import { emailKeyOf } from '../email-key.js';
import { MailerError } from '../mailer-error.js';
import type { Subscriber, Suppression } from '../subscriber.js';
import { type SubscribeDeps, shardOf } from '../subscriptions/subscribe.js';
import { subscriberLink } from '../subscriptions/subscriber-links.js';
import { updateWithRetry } from '../subscriptions/update-with-retry.js';
import type { ImportRow, RejectedRow } from './parse-import.js';

/** The consent record's `form` for imported addresses. */
export const IMPORT_FORM = 'import';

/** Confirmation mails in flight at once during an import. */
const MAIL_CONCURRENCY = 4;

/** A row that became a subscriber. */
export interface AddedRow {
  row: number;
  email: string;
  status: 'pending' | 'active';
  /** `sent`: a confirmation mail went out; `failed`: it could not be sent (the record stays pending); `none`: consented import. */
  confirmation: 'sent' | 'failed' | 'none';
  /** Why the confirmation failed, when it did. */
  problem?: string | undefined;
}

/** A valid row that changed nothing, because of what the list already knows about the address. */
export interface SkippedRow {
  row: number;
  email: string;
  reason: string;
}

export interface ImportReport {
  added: AddedRow[];
  skipped: SkippedRow[];
  rejected: RejectedRow[];
}

export interface ImportOptions {
  /**
   * The editor states the addresses already agreed to get this publication (elsewhere, earlier):
   * they become `active` at once, and their consent record says so (`importedConsent: true`).
   * Otherwise each gets the double opt-in mail and stays `pending` until it confirms.
   */
  consented: boolean;
}

/**
 * Adds validated rows (see parseImport) to the subscriber list. New addresses become `pending`
 * with a confirmation mail, or `active` when the editor states consent was obtained; a pending
 * address with such a statement is activated. Nothing else is overridden: active subscribers
 * keep their own choices, unsubscribed ones stay unsubscribed (only they can subscribe again),
 * and suppressed or erased addresses are never brought back. Every row ends in exactly one of
 * added, skipped or rejected.
 */
export async function importSubscribers(
  deps: SubscribeDeps,
  rows: readonly ImportRow[],
  options: ImportOptions,
): Promise<ImportReport> {
  const limit = createLimiter(MAIL_CONCURRENCY);
  const outcomes = await Promise.all(rows.map((row) => limit(() => importRow(deps, row, options))));
  const report: ImportReport = { added: [], skipped: [], rejected: [] };
  for (const outcome of outcomes) {
    if ('status' in outcome) report.added.push(outcome);
    else report.skipped.push(outcome);
  }
  deps.logger?.info('subscribers imported', {
    added: report.added.length,
    skipped: report.skipped.length,
    consented: options.consented,
  });
  return report;
}

type Decision = { kind: 'add'; status: 'pending' | 'active' } | { kind: 'skip'; reason: string };

async function importRow(
  deps: SubscribeDeps,
  row: ImportRow,
  options: ImportOptions,
): Promise<AddedRow | SkippedRow> {
  const emailKey = emailKeyOf(row.email);
  const now = deps.clock.now();
  const at = now.toISOString();
  const suppression = await deps.suppressions.get(emailKey);
  const consent = {
    at,
    form: IMPORT_FORM,
    ipHash: '',
    userAgent: '',
    importedConsent: options.consented,
  };

  const applied = await updateWithRetry<Decision>(deps, emailKey, (current) => {
    if (suppression) return { result: { kind: 'skip', reason: suppressedReason(suppression) } };
    if (!current) {
      const id = deps.newId();
      const status = options.consented ? 'active' : 'pending';
      const record: Subscriber = {
        emailKey,
        id,
        email: row.email,
        status,
        cadence: row.cadence,
        topics: row.topics,
        consent,
        createdAt: at,
        updatedAt: at,
        confirmationSentAt: options.consented ? undefined : at,
        softBounces: 0,
        shard: shardOf(id),
        version: 1,
      };
      return { write: record, result: { kind: 'add', status } };
    }
    switch (current.status) {
      case 'active':
        return { result: { kind: 'skip', reason: 'already active: their own choices are kept' } };
      case 'unsubscribed':
        return { result: { kind: 'skip', reason: 'unsubscribed: only they can subscribe again' } };
      case 'suppressed':
        return {
          result: { kind: 'skip', reason: 'suppressed after a bounce or complaint: never mailed again' },
        };
      case 'pending':
        if (!options.consented) {
          return {
            result: { kind: 'skip', reason: 'already pending: a confirmation mail was sent earlier' },
          };
        }
        return {
          write: {
            ...current,
            status: 'active',
            // Their own request stays on record (and their choices stand); the statement is added.
            consent: { ...current.consent, importedConsent: true },
            updatedAt: at,
          },
          result: { kind: 'add', status: 'active' },
        };
    }
  });

  const decision = applied.result;
  if (decision.kind === 'skip') return { row: row.row, email: row.email, reason: decision.reason };
  const record = applied.written;
  if (decision.status === 'active' || !record) {
    return { row: row.row, email: row.email, status: decision.status, confirmation: 'none' };
  }
  const confirmUrl = subscriberLink(deps.signer, deps.baseUrl, 'confirm', record, now);
  try {
    await deps.sendConfirmation({ to: record.email, confirmUrl });
    return { row: row.row, email: row.email, status: 'pending', confirmation: 'sent' };
  } catch (error) {
    if (!(error instanceof MailerError)) throw error;
    // Cleared so that the address can ask again (subscribe form, another import) without waiting.
    await deps.store
      .update({ ...record, confirmationSentAt: undefined, version: record.version + 1 }, record.version)
      .catch(() => undefined);
    return {
      row: row.row,
      email: row.email,
      status: 'pending',
      confirmation: 'failed',
      problem: `${error.code}: ${error.message}`,
    };
  }
}

function suppressedReason(suppression: Suppression): string {
  switch (suppression.reason) {
    case 'bounce':
      return 'suppressed after a hard bounce: never mailed again';
    case 'complaint':
      return 'suppressed after a complaint: never mailed again';
    case 'deleted':
      return 'erased at its own request: only its owner can subscribe again';
  }
}
