import type { EditionRequest } from '../../core/editions/create-edition.js';
import type { PreviewResult } from '../../core/editions/preview-edition.js';
import {
  MAX_TEST_RECIPIENTS,
  mailTest,
  type SendTestResult,
  testRecipients,
} from '../../core/editions/send-test.js';
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
  const recipients = testRecipients(to);
  if (!recipients.ok) return { ok: false, reason: 'invalid-recipients', problems: recipients.problems };
  const preview = await deps.services.preview(request);
  if (!preview.ok) return preview;
  if (preview.exists) {
    const result = await deps.services.sendTest({ editionId: preview.editionId, to });
    return { ...result, editionId: preview.editionId };
  }
  const outcome = await mailTest(deps, {
    editionId: preview.editionId,
    subject: preview.subject,
    html: preview.html,
    text: preview.text,
    addresses: recipients.addresses,
  });
  deps.logger?.info('test of a previewed edition sent', {
    editionId: preview.editionId,
    sent: outcome.sent.length,
    failed: outcome.failed.length,
  });
  return { ok: true, ...outcome, editionId: preview.editionId };
}
