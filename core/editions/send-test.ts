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
    const recipients = testRecipients(to);
    if (!recipients.ok) return { ok: false, reason: 'invalid-recipients', problems: recipients.problems };
    const edition = await deps.editions.get(editionId);
    if (!edition) return { ok: false, reason: 'missing' };
    const rendered = await fullRendering(deps, edition);
    if (!rendered) return { ok: false, reason: 'no-posts' };
    const copy = nonPersonalCopy(rendered, deps.publication);
    const outcome = await mailTest(deps, {
      editionId: edition.id,
      subject: rendered.subject,
      html: copy.html,
      text: copy.text,
      addresses: recipients.addresses,
    });
    deps.logger?.info('test edition sent', {
      editionId,
      sent: outcome.sent.length,
      failed: outcome.failed.length,
    });
    return { ok: true, ...outcome };
  };
}

/**
 * The addresses of a test send, trimmed and without repeats, or every problem with them: at
 * least one, at most {@link MAX_TEST_RECIPIENTS}, each a single plain address.
 */
export function testRecipients(
  to: readonly unknown[],
): { ok: true; addresses: string[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!Array.isArray(to) || to.length === 0) problems.push('to: give at least one address');
  else if (to.length > MAX_TEST_RECIPIENTS) problems.push(`to: at most ${MAX_TEST_RECIPIENTS} addresses`);
  const addresses: string[] = [];
  (Array.isArray(to) ? to : []).slice(0, MAX_TEST_RECIPIENTS + 1).forEach((value, i) => {
    const address = typeof value === 'string' ? value.trim() : '';
    if (!isEmailAddress(address)) problems.push(`to[${i}]: not a single plain email address`);
    else if (!addresses.includes(address)) addresses.push(address);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, addresses };
}

/**
 * Mails a test copy to each address: subject prefixed `[TEST] `, no List-Unsubscribe (the links
 * belong to nobody), tagged `kind=test`, never in the delivery ledger. A refused address is
 * reported, not thrown.
 */
export async function mailTest(
  deps: Pick<SendTestDeps, 'mailer' | 'publication' | 'clock'>,
  mail: { editionId: string; subject: string; html: string; text: string; addresses: readonly string[] },
): Promise<{
  sent: Array<{ to: string; messageId: string }>;
  failed: Array<{ to: string; reason: string }>;
}> {
  const listId = listIdFor(deps.publication);
  const sent: Array<{ to: string; messageId: string }> = [];
  const failed: Array<{ to: string; reason: string }> = [];
  for (const address of mail.addresses) {
    const raw = await composeMime({
      from: deps.publication.email.from,
      replyTo: deps.publication.email.replyTo,
      to: address,
      subject: `${TEST_SUBJECT_PREFIX}${mail.subject}`,
      html: mail.html,
      text: mail.text,
      date: deps.clock.now(),
      listId,
    });
    try {
      const { messageId } = await deps.mailer.send({
        raw,
        from: deps.publication.email.from.address,
        to: [address],
        tags: { edition: tagValue(mail.editionId), kind: 'test' },
      });
      sent.push({ to: address, messageId });
    } catch (error) {
      if (!(error instanceof MailerError)) throw error;
      failed.push({ to: address, reason: `${error.code}: ${error.message}` });
    }
  }
  return { sent, failed };
}
