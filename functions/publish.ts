/**
 * Lambda entry point of publishing: after a deploy uploads content/ (`{ "kind":
 * "content-deployed" }`, or S3 notifications of the content bucket) and every hour (`{ "kind":
 * "publish-due" }`, for posts whose date has come). Builds the site at now, writes only the
 * changed objects to the site bucket, and creates the `post-<slug>` edition of each newly
 * published post for `immediate` subscribers. Wiring only.
 */
import { join } from 'node:path';
import { createAwsDeliveryPorts } from '../adapters/compose/create-aws-delivery-ports.js';
import { createDeliveryServices } from '../adapters/compose/create-delivery-services.js';
import { readPublishTrigger } from '../adapters/compose/function-events.js';
import { bundleDirOf, contentSourceFor, systemClock } from '../adapters/compose/function-wiring.js';
import { publishWithPostEditions, summarizePublish } from '../adapters/compose/publish-with-post-editions.js';
import { createPowertoolsLogger } from '../adapters/config/powertools-logger.js';
import { readRuntimeConfig } from '../adapters/config/read-runtime-config.js';
import { readTemplates } from '../adapters/fs/read-templates.js';
import { TimerSleeper } from '../adapters/local/timer-sleeper.js';
import { buildPublication } from '../core/publish/build-publication.js';

const logger = createPowertoolsLogger('gazette-publish');

async function init() {
  const config = readRuntimeConfig(process.env, ['queueUrl']);
  const bundle = bundleDirOf(config, import.meta.dirname);
  return {
    config,
    ports: createAwsDeliveryPorts(config, { logger }),
    content: contentSourceFor(config, bundle),
    templates: await readTemplates(join(bundle, 'templates')),
  };
}

let runtime: ReturnType<typeof init> | undefined;

export const handler = async (event: unknown) => {
  const trigger = readPublishTrigger(event);
  runtime ??= init().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  const { config, ports, content, templates } = await runtime;
  const now = systemClock.now();
  const { files } = await content.read();
  const built = await buildPublication({
    files,
    templates: templates.site,
    now,
    publicUrl: config.publicUrl,
  });
  const services = createDeliveryServices(
    { ...ports, clock: systemClock, sleeper: new TimerSleeper(), logger },
    { publication: built.publication, loadPosts: async () => built.posts, emailTemplates: templates.email },
  );
  const result = await publishWithPostEditions({
    objects: ports.objects,
    built,
    now,
    createPostEditions: services.createPostEditions,
    logger,
  });
  const summary = { trigger: trigger.kind, ...summarizePublish(result) };
  logger.info('published', summary);
  // Owed editions are kept for the next run; failing makes Lambda retry soon and, in the end, alarm.
  if (result.pending.length > 0)
    throw new Error(`post editions not created yet: ${result.pending.join(', ')}`);
  return summary;
};
