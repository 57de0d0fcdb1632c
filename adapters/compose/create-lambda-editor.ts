import type { EmailTemplates } from '../../core/email/rendered-mail.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { EditorDeps } from '../../web/editor/editor-deps.js';
import type { RuntimeConfig } from '../config/read-runtime-config.js';
import { TimerSleeper } from '../local/timer-sleeper.js';
import { createAwsDeliveryPorts } from './create-aws-delivery-ports.js';
import { createDeliveryServices } from './create-delivery-services.js';
import { contentSourceFor } from './function-wiring.js';
import { createContentReader } from './read-published-content.js';

/**
 * The editor API's dependencies for the web function on AWS: the delivery services over DynamoDB,
 * S3, SQS and SES, IAM authentication (API Gateway checks the SigV4 signature; the app checks
 * the identity is in the event). "Send now" fans out inside the request, so the web function
 * needs the send queue: without GAZETTE_QUEUE_URL the editor API is left out, and said so in
 * the log. Posts are read from the content at each call, so a post that became due is there.
 */
export async function createLambdaEditor(input: {
  config: RuntimeConfig;
  /** Where `content/` is bundled, when there is no content bucket. */
  bundleDir: string;
  emailTemplates: EmailTemplates;
  clock: Clock;
  logger: Logger;
}): Promise<EditorDeps | undefined> {
  const { config, clock, logger } = input;
  if (!config.queueUrl) {
    logger.warn('editor API not served: GAZETTE_QUEUE_URL (the send queue) is not set');
    return undefined;
  }
  const ports = createAwsDeliveryPorts(config, { logger });
  const readContent = createContentReader(contentSourceFor(config, input.bundleDir), {
    publicUrl: config.publicUrl,
    site: ports.objects,
  });
  const { publication } = await readContent(clock.now());
  const services = createDeliveryServices(
    { ...ports, clock, sleeper: new TimerSleeper(), logger },
    {
      publication,
      loadPosts: async () => (await readContent(clock.now())).posts,
      emailTemplates: input.emailTemplates,
    },
  );
  return { auth: { kind: 'iam' }, services };
}
