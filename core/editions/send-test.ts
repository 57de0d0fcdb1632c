import { tagValue } from '../delivery/ses-tags.js';
import { isEmailAddress } from '../email/check-address.js';
import { composeMime } from '../email/compose-mime.js';
import { listIdFor } from '../email/list-id.js';
import { MailerError } from '../mailer-error.js';
import type { Publication } from '../model.js';
import type { Clock, Logger, Mailer } from '../ports.js';
import { type FullRenderingDeps, fullRendering } from './full-rendering.js';
import { nonPersonalCopy } from './non-personal-copy.js';

/** Most addresses one test send may name: a test goes to the editors, not to a list. */
export const MAX_TEST_RECIPIENTS = 10;

/** Prefix of a test mail's subject. */
export const TEST_SUBJECT_PREFIX = '[TEST] ';

export interface SendTestDeps extends FullRenderingDeps {
  mailer: Mailer;
  publication: Publication;
  clock: Clock;
  logger?: Logger | undefined;
}

export type SendTestResult =
  | {
      ok: true;
      sent: Array<{ to: string; messageId: string }>;
      failed: Array<{ to: string; reason: string }>;
    }
  | { ok: false; reason: 'missing' | 'no-posts' }
  | { ok: false; reason: 'invalid-recipients'; problems: string[] };

/**
 * Sends an edition's full variant to the given addresses only, subject prefixed `[TEST] `,
 * links belonging to nobody, tagged `kind=test`, and never in the delivery ledger (a test does
 * not count as a delivery and does not keep anyone from getting the real one). At most
 * {@link MAX_TEST_RECIPIENTS} plain addresses; every bad one is named.
 */
export function createTestSender(
  deps: SendTestDeps,
): (input: { editionId: string; to: readonly unknown[] }) => Promise<SendTestResult> {
  return async ({ editionId, to }) => {
    const problems: string[] = [];
    if (!Array.isArray(to) || to.length === 0) problems.push('to: give at least one address');
    else if (to.length > MAX_TEST_RECIPIENTS) problems.push(`to: at most ${MAX_TEST_RECIPIENTS} addresses`);
    const addresses: string[] = [];
    (Array.isArray(to) ? to : []).slice(0, MAX_TEST_RECIPIENTS + 1).forEach((value, i) => {
      const address = typeof value === 'string' ? value.trim() : '';
      if (!isEmailAddress(address)) problems.push(`to[${i}]: not a single plain email address`);
      else if (!addresses.includes(address)) addresses.push(address);
    });
    if (problems.length > 0) return { ok: false, reason: 'invalid-recipients', problems };

    const edition = await deps.editions.get(editionId);
    if (!edition) return { ok: false, reason: 'missing' };
    const rendered = await fullRendering(deps, edition);
    if (!rendered) return { ok: false, reason: 'no-posts' };
    const copy = nonPersonalCopy(rendered, deps.publication);
    const subject = `${TEST_SUBJECT_PREFIX}${rendered.subject}`;
    const listId = listIdFor(deps.publication);

    const sent: Array<{ to: string; messageId: string }> = [];
    const failed: Array<{ to: string; reason: string }> = [];
    for (const address of addresses) {
      const raw = await composeMime({
        from: deps.publication.email.from,
        replyTo: deps.publication.email.replyTo,
        to: address,
        subject,
        html: copy.html,
        text: copy.text,
        date: deps.clock.now(),
        listId,
      });
      try {
        const { messageId } = await deps.mailer.send({
          raw,
          from: deps.publication.email.from.address,
          to: [address],
          tags: { edition: tagValue(edition.id), kind: 'test' },
        });
        sent.push({ to: address, messageId });
      } catch (error) {
        if (!(error instanceof MailerError)) throw error;
        failed.push({ to: address, reason: `${error.code}: ${error.message}` });
      }
    }
    deps.logger?.info('test edition sent', { editionId, sent: sent.length, failed: failed.length });
    return { ok: true, sent, failed };
  };
}
