/**
 * Lambda entry point for SES events delivered by SNS (the configuration set's event destination):
 * bounces and complaints suppress, transient bounces are counted, deliveries are reported.
 * Malformed notifications are logged and skipped; a storage failure fails the invocation so that
 * Lambda retries the event (suppression is idempotent).
 */
import type { SNSEvent } from 'aws-lambda';
import { createAwsSubscriberPorts } from '../adapters/config/create-aws-ports.js';
import { createPowertoolsLogger } from '../adapters/config/powertools-logger.js';
import { readRuntimeConfig } from '../adapters/config/read-runtime-config.js';
import { type FeedbackReport, recordSesFeedback } from '../core/subscriptions/record-ses-feedback.js';

const logger = createPowertoolsLogger('gazette-ses-events');
let ports: ReturnType<typeof createAwsSubscriberPorts> | undefined;

export const handler = async (event: SNSEvent): Promise<FeedbackReport> => {
  ports ??= createAwsSubscriberPorts(readRuntimeConfig(process.env));
  const report = await recordSesFeedback(
    { store: ports.store, suppressions: ports.suppressions, clock: { now: () => new Date() }, logger },
    event.Records,
  );
  logger.info('SES events recorded', {
    processed: report.processed,
    skipped: report.skipped.length,
    suppressed: report.suppressed,
    softBounces: report.softBounces,
    events: report.events.length,
  });
  return report;
};
