/**
 * The delivery engine of the local stack: the same services the Lambda functions compose, over
 * the emulated DynamoDB and S3, with the send queue in-process (SQS semantics) and the digest
 * schedules on croner in the publication's time zone.
 */
import { randomUUID } from 'node:crypto';
import { createAwsDeliveryStores } from '../../adapters/compose/create-aws-delivery-ports.js';
import {
  createDeliveryServices,
  type DeliveryServices,
} from '../../adapters/compose/create-delivery-services.js';
import type { RuntimeConfig } from '../../adapters/config/read-runtime-config.js';
import { InProcessQueue } from '../../adapters/local/in-process-queue.js';
import { LocalScheduler, type NextRun } from '../../adapters/local/local-scheduler.js';
import { TimerSleeper } from '../../adapters/local/timer-sleeper.js';
import { shardKey } from '../../core/delivery/fan-out.js';
import type { SendBatch } from '../../core/edition.js';
import type { EmailTemplates } from '../../core/email/rendered-mail.js';
import type { Publication, RenderedPost } from '../../core/model.js';
import type { Clock, Logger, Mailer, TokenSigner } from '../../core/ports.js';
import { FANOUT_SHARDS } from '../../core/subscriber.js';

/** Local sending pace: well under what a fresh SES account allows, fast enough to watch. */
export const LOCAL_SEND_RATE = 20;
/** As on AWS: a message that fails this many receives goes to the dead-letter list. */
const MAX_RECEIVES = 5;
const VISIBILITY_SECONDS = 60;

export interface LocalDelivery {
  services: DeliveryServices;
  queue: InProcessQueue<SendBatch>;
  nextRuns(): NextRun[];
  stop(): Promise<void>;
}

export async function startLocalDelivery(input: {
  config: RuntimeConfig;
  publication: () => Publication;
  loadPosts: () => Promise<readonly RenderedPost[]>;
  emailTemplates: () => Promise<EmailTemplates>;
  mailer: Mailer;
  signer: TokenSigner;
  clock: Clock;
  logger: Logger;
  /** Rebuilds the site and creates the editions of newly published posts (the hourly job). */
  publishDue: () => Promise<unknown>;
}): Promise<LocalDelivery> {
  const { clock, logger } = input;
  const queue = new InProcessQueue<SendBatch>({
    batchSize: 10,
    concurrency: 2,
    visibilityTimeoutSeconds: VISIBILITY_SECONDS,
    maxReceives: MAX_RECEIVES,
    logger,
  });
  const services = createDeliveryServices(
    {
      ...createAwsDeliveryStores(input.config),
      queue,
      mailer: input.mailer,
      signer: input.signer,
      clock,
      sleeper: new TimerSleeper(),
      logger,
    },
    {
      publication: input.publication(),
      loadPosts: input.loadPosts,
      emailTemplates: input.emailTemplates,
      worker: {
        sendRatePerSecond: LOCAL_SEND_RATE,
        maxReceives: MAX_RECEIVES,
        claimLeaseMs: VISIBILITY_SECONDS * 1000,
      },
      newId: randomUUID,
    },
  );
  queue.start((messages) => services.sendWorker.handleSendBatches(messages));
  await requeueUnfinished(services, input.config, logger);

  const scheduler = new LocalScheduler({
    publication: input.publication(),
    onEdition: async (event) => {
      const result = await services.runScheduledEdition(event);
      logger.info('scheduled edition', { cadence: event.cadence, ...summary(result) });
    },
    onPublishDue: () => input.publishDue(),
    logger,
  });
  scheduler.start();

  return {
    services,
    queue,
    nextRuns: () => scheduler.nextRuns(),
    async stop() {
      scheduler.stop();
      await queue.stop();
    },
  };
}

/**
 * The local queue lives in memory, so messages waiting when the stack stopped are gone. On
 * start, every edition still sending is fanned out again in full: the delivery ledger skips the
 * recipients already settled, so nobody gets an edition twice and nobody is left out.
 */
async function requeueUnfinished(services: DeliveryServices, config: RuntimeConfig, logger: Logger) {
  const stores = createAwsDeliveryStores(config);
  for (const listing of await services.listEditions(100)) {
    const progress = listing.progress;
    if (progress.state === 'done' || progress.queued + progress.sending === 0) continue;
    const edition = await stores.editions.get(progress.editionId);
    if (!edition) continue;
    for (let shard = 0; shard < FANOUT_SHARDS; shard++) {
      const key = shardKey(shard);
      await stores.editions.recordShard(edition.id, key, {
        done: false,
        planned: edition.shards[key]?.planned ?? 0,
      });
    }
    const result = await services.fanOut(edition.id);
    logger.info('edition resumed after a restart', { editionId: edition.id, ...summary(result) });
  }
}

function summary(result: object): Record<string, unknown> {
  const { ok, reason, created, enqueued } = result as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries({ ok, reason, created, enqueued }).filter(([, v]) => v !== undefined),
  );
}
