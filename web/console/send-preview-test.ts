import { tagValue } from '../../core/delivery/ses-tags.js';
import type { EditionRequest } from '../../core/editions/create-edition.js';
import type { PreviewResult } from '../../core/editions/preview-edition.js';
import {
  MAX_TEST_RECIPIENTS,
  type SendTestResult,
  TEST_SUBJECT_PREFIX,
} from '../../core/editions/send-test.js';
import { isEmailAddress } from '../../core/email/check-address.js';
import { composeMime } from '../../core/email/compose-mime.js';
import { listIdFor } from '../../core/email/list-id.js';
import { MailerError } from '../../core/mailer-error.js';
import type { Publication } from '../../core/model.js';
import type { Clock, Logger, Mailer } from '../../core/ports.js';
import type { EditorServices } from '../editor/editor-deps.js';

export interface PreviewTestDeps {
  services: Pick<EditorServices, 'preview' | 'sendTest'>;
  mailer: Mailer;
  publication: Publication;
  clock: Clock;
  logger?: Logger | undefined;
}

export type PreviewTestResult =
  | (SendTestResult & { editionId?: string | undefined })
  | { ok: false; reason: Exclude<PreviewResult, { ok: true }>['reason'] };

/**
 * A test send of what "send now" would send, before it is sent: the editor's usual order is
 * preview, test, send. An edition that exists already is tested by the delivery engine's own
 * test sender (its stored rendering); one not made yet is sent as previewed, under the same
 * rules (at most {@link MAX_TEST_RECIPIENTS} plain addresses, subject prefixed `[TEST] `, links
 * belonging to nobody, tagged `kind=test`, never in the delivery ledger).
 */
export async function sendPreviewTest(
  deps: PreviewTestDeps,
  request: EditionRequest,
  to: readonly unknown[],
): Promise<PreviewTestResult> {
  const problems = recipientProblems(to);
  if (problems.length > 0) return { ok: false, reason: 'invalid-recipients', problems };
  const preview = await deps.services.preview(request);
  if (!preview.ok) return preview;
  if (preview.exists) {
    const result = await deps.services.sendTest({ editionId: preview.editionId, to });
    return { ...result, editionId: preview.editionId };
  }

  const addresses = [...new Set(to.map((a) => String(a).trim()))];
  const listId = listIdFor(deps.publication);
  const sent: Array<{ to: string; messageId: string }> = [];
  const failed: Array<{ to: string; reason: string }> = [];
  for (const address of addresses) {
    const raw = await composeMime({
      from: deps.publication.email.from,
      replyTo: deps.publication.email.replyTo,
      to: address,
      subject: `${TEST_SUBJECT_PREFIX}${preview.subject}`,
      html: preview.html,
      text: preview.text,
      date: deps.clock.now(),
      listId,
    });
    try {
      const { messageId } = await deps.mailer.send({
        raw,
        from: deps.publication.email.from.address,
        to: [address],
        tags: { edition: tagValue(preview.editionId), kind: 'test' },
      });
      sent.push({ to: address, messageId });
    } catch (error) {
      if (!(error instanceof MailerError)) throw error;
      failed.push({ to: address, reason: `${error.code}: ${error.message}` });
    }
  }
  deps.logger?.info('test of a previewed edition sent', {
    editionId: preview.editionId,
    sent: sent.length,
    failed: failed.length,
  });
  return { ok: true, sent, failed, editionId: preview.editionId };
}

/** The same checks as the delivery engine's test sender, made before anything is rendered. */
function recipientProblems(to: readonly unknown[]): string[] {
  const problems: string[] = [];
  if (to.length === 0) problems.push('to: give at least one address');
  else if (to.length > MAX_TEST_RECIPIENTS) problems.push(`to: at most ${MAX_TEST_RECIPIENTS} addresses`);
  to.slice(0, MAX_TEST_RECIPIENTS + 1).forEach((value, i) => {
    if (typeof value !== 'string' || !isEmailAddress(value.trim())) {
      problems.push(`to[${i}]: not a single plain email address`);
    }
  });
  return problems;
}
