/**
 * Lambda entry point of the send workers (SQS event source with partial batch responses). One
 * worker per container, built at cold start: its rate is this worker's share of SES's maximum
 * send rate (GetSendQuota; GAZETTE_SEND_RATE when SES does not answer), the signing keys come
 * from Secrets Manager, and the sender and title from GAZETTE_PUBLICATION, which the stack
 * validated from publication.yaml. Cold starts matter here (a queue of sends waits on them), so
 * nothing here parses YAML or loads zod's classic API, MJML or Liquid: tests walk the import
 * graph and weigh the bundle.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DEFAULT_CLIENT_TUNING } from '../adapters/aws/clients.js';
import { fromSqsEvent, toBatchResponse } from '../adapters/aws/sqs-event.js';
import { createAwsDeliveryPorts } from '../adapters/compose/create-aws-delivery-ports.js';
import { createDeliveryWorker } from '../adapters/compose/create-delivery-worker.js';
import { DeadlineSleeper } from '../adapters/compose/deadline-sleeper.js';
import { DEFAULT_SEND_RATE_SHARE, resolveSendRate } from '../adapters/compose/resolve-send-rate.js';
import { createSecretsClient } from '../adapters/config/create-aws-ports.js';
import { loadSigningKeys } from '../adapters/config/load-signing-keys.js';
import { createPowertoolsLogger } from '../adapters/config/powertools-logger.js';
import { readRuntimeConfig } from '../adapters/config/read-runtime-config.js';
import { HmacTokenSigner } from '../adapters/crypto/hmac-token-signer.js';
import { TimerSleeper } from '../adapters/local/timer-sleeper.js';
import type { SendBatch } from '../core/edition.js';

const logger = createPowertoolsLogger('gazette-send-worker');
const clock = { now: () => new Date() };
// Time a claimed send may still need: every attempt of the SES call at its timeout, and marking it sent.
const DEADLINE_MARGIN_MS = DEFAULT_CLIENT_TUNING.requestTimeoutMs * DEFAULT_CLIENT_TUNING.maxAttempts + 5_000;
let remainingMs: () => number = () => Number.POSITIVE_INFINITY;

async function init() {
  const config = readRuntimeConfig(process.env, [
    'queueUrl',
    'sesConfigurationSet',
    'workerMaxConcurrency',
    'publication',
  ]);
  const ports = createAwsDeliveryPorts(config, { logger });
  const [keys, rate] = await Promise.all([
    loadSigningKeys(createSecretsClient(config), config.secretArn),
    resolveSendRate({
      ses: ports.ses,
      share: config.sendRateShare ?? DEFAULT_SEND_RATE_SHARE,
      maxConcurrency: config.workerMaxConcurrency,
      configuredTotal: config.sendRate,
      functionMemoryMb: Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || undefined,
      logger,
    }),
  ]);
  const sleeper = new DeadlineSleeper(new TimerSleeper(), () => remainingMs(), DEADLINE_MARGIN_MS);
  const signer = new HmacTokenSigner(keys.current, keys.retired);
  return createDeliveryWorker(
    { ...ports, signer, clock, sleeper, logger },
    {
      publication: { ...config.publication, url: config.publicUrl },
      worker: { sendRatePerSecond: rate.perWorker },
    },
  );
}

let worker: ReturnType<typeof init> | undefined;

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  remainingMs = () => context.getRemainingTimeInMillis();
  worker ??= init().catch((error: unknown) => {
    worker = undefined;
    throw error;
  });
  const { messages, failedIds } = fromSqsEvent<SendBatch>(event, { logger });
  const result = await (await worker).handleSendBatches(messages);
  return toBatchResponse({ failedIds: [...failedIds, ...result.failedIds] });
};
