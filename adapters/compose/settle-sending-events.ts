import type { SesDeliveryEvent, SettleResult } from '../../core/delivery/settle-from-ses-event.js';
import type { SendingEvent } from '../../core/subscriptions/record-ses-feedback.js';

const SES_TYPE: Record<SendingEvent['type'], string> = {
  delivery: 'Delivery',
  bounce: 'Bounce',
  complaint: 'Complaint',
};

/** How many events settled a delivery row, and how many had nothing to settle. */
export interface SettleReport {
  settled: number;
  unchanged: number;
}

/**
 * Hands the delivery, bounce and complaint events of an SES notification batch to the ledger's
 * settler, one by one. Only mails of editions are looked at (the `edition` tag, `kind` edition
 * or none): confirmation and test mails have no ledger row. A storage failure throws, so the
 * batch is retried; settling twice is a no-op.
 */
export async function settleSendingEvents(
  settle: (event: SesDeliveryEvent) => Promise<SettleResult>,
  events: readonly SendingEvent[],
): Promise<SettleReport> {
  const report: SettleReport = { settled: 0, unchanged: 0 };
  for (const event of events) {
    const kind = event.tags.kind;
    if (event.tags.edition === undefined || (kind !== undefined && kind !== 'edition')) continue;
    const result = await settle({ type: SES_TYPE[event.type], messageId: event.messageId, tags: event.tags });
    if (result.ok) report.settled += 1;
    else report.unchanged += 1;
  }
  return report;
}
