/**
 * Lambda entry point for SES events delivered by SNS (the configuration set's event destination):
 * bounces and complaints suppress, transient bounces are counted, and the delivery, bounce and
 * complaint events of edition mails settle their ledger rows (a send left `unknown` becomes `sent`).
 * Malformed notifications are logged and skipped; a storage failure fails the invocation so that
 * Lambda retries the event (suppression is idempotent).
 */
import type { SNSEvent } from 'aws-lambda';
import { createAwsDeliveryStores } from '../adapters/compose/create-aws-delivery-ports.js';
import { settleSendingEvents } from '../adapters/compose/settle-sending-events.js';
import { createAwsSubscriberPorts } from '../adapters/config/create-aws-ports.js';
import { createPowertoolsLogger } from '../adapters/config/powertools-logger.js';
import { readRuntimeConfig } from '../adapters/config/read-runtime-config.js';
import { createSesEventSettler } from '../core/delivery/settle-from-ses-event.js';
import { type FeedbackReport, recordSesFeedback } from '../core/subscriptions/record-ses-feedback.js';

const logger = createPowertoolsLogger('gazette-ses-events');
const clock = { now: () => new Date() };

function wire() {
  const config = readRuntimeConfig(process.env);
  const settle = createSesEventSettler({ ledger: createAwsDeliveryStores(config).ledger, clock, logger });
  return { ports: createAwsSubscriberPorts(config), settle };
}

let wired: ReturnType<typeof wire> | undefined;

export const handler = async (event: SNSEvent): Promise<FeedbackReport & { deliveriesSettled: number }> => {
  wired ??= wire();
  const { ports, settle } = wired;
  const report = await recordSesFeedback(
    { store: ports.store, suppressions: ports.suppressions, clock, logger },
    event.Records,
  );
  const settled = await settleSendingEvents(settle, report.events);
  logger.info('SES events recorded', {
    processed: report.processed,
    skipped: report.skipped.length,
    suppressed: report.suppressed,
    softBounces: report.softBounces,
    events: report.events.length,
    deliveriesSettled: settled.settled,
  });
  return { ...report, deliveriesSettled: settled.settled };
};
