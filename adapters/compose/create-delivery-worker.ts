/**
 * The send worker from ports. Kept apart from create-delivery-services.ts, which loads the MJML
 * renderer: the send function imports only this, so its bundle stays free of MJML and Liquid.
 */
import { randomUUID } from 'node:crypto';
import { createSendWorker, type SendWorker } from '../../core/delivery/send-worker.js';
import { resolveSendWorkerConfig } from '../../core/delivery/send-worker-config.js';
import type { WorkerOptions, WorkerPorts } from './delivery-ports.js';

/**
 * One send worker (one per process, one per Lambda instance): its token bucket, concurrency
 * limit and caches live as long as it does, so build it once and call `handleSendBatches` for
 * every batch. The configuration is checked here: a bad one throws a ConfigError listing every
 * problem.
 */
export function createDeliveryWorker(ports: WorkerPorts, options: WorkerOptions): SendWorker {
  return createSendWorker({
    editions: ports.editions,
    ledger: ports.ledger,
    subscribers: ports.subscribers,
    objects: ports.objects,
    queue: ports.queue,
    mailer: ports.mailer,
    signer: ports.signer,
    clock: ports.clock,
    sleeper: ports.sleeper,
    publication: options.publication,
    newId: options.newId ?? randomUUID,
    random: options.random ?? Math.random,
    config: resolveSendWorkerConfig(options.worker),
    logger: ports.logger,
  });
}
