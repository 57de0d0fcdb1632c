/**
 * Lambda entry point of the digest schedules (EventBridge Scheduler target, input
 * `{ "cadence": "daily"|"weekly", "scheduledTime": "<aws.scheduler.scheduled-time>" }`; the time
 * may be left out). Creates the slot's edition once, renders it, and fans it out to the send
 * queue. Wiring only: config from the environment, content from the content bucket (or the
 * bundle), templates from the bundle, all built once per container.
 */
import { join } from 'node:path';
import { createAwsDeliveryPorts } from '../adapters/compose/create-aws-delivery-ports.js';
import { createDeliveryServices } from '../adapters/compose/create-delivery-services.js';
import { readScheduledEditionEvent } from '../adapters/compose/function-events.js';
import { bundleDirOf, contentSourceFor, systemClock } from '../adapters/compose/function-wiring.js';
import { createContentReader } from '../adapters/compose/read-published-content.js';
import { createPowertoolsLogger } from '../adapters/config/powertools-logger.js';
import { readRuntimeConfig } from '../adapters/config/read-runtime-config.js';
import { readTemplates } from '../adapters/fs/read-templates.js';
import { TimerSleeper } from '../adapters/local/timer-sleeper.js';

const logger = createPowertoolsLogger('gazette-edition');

async function init() {
  const config = readRuntimeConfig(process.env, ['queueUrl']);
  const bundle = bundleDirOf(config, import.meta.dirname);
  const ports = createAwsDeliveryPorts(config, { logger });
  return {
    ports,
    readContent: createContentReader(contentSourceFor(config, bundle), {
      publicUrl: config.publicUrl,
      site: ports.objects,
    }),
    templates: await readTemplates(join(bundle, 'templates')),
  };
}

let runtime: ReturnType<typeof init> | undefined;

export const handler = async (event: unknown) => {
  const input = readScheduledEditionEvent(event);
  runtime ??= init().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  const { ports, readContent, templates } = await runtime;
  const content = await readContent(systemClock.now());
  const services = createDeliveryServices(
    { ...ports, clock: systemClock, sleeper: new TimerSleeper(), logger },
    {
      publication: content.publication,
      loadPosts: async () => content.posts,
      emailTemplates: templates.email,
    },
  );
  const result = await services.runScheduledEdition(input);
  const summary = result.ok
    ? { editionId: result.edition.id, created: result.created, fanOut: result.fanOut ?? null }
    : { reason: result.reason };
  logger.info('scheduled edition', {
    cadence: input.cadence,
    scheduledTime: input.scheduledTime,
    ...summary,
  });
  return summary;
};
