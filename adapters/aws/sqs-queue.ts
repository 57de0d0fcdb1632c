import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Logger, Queue, Sleeper } from '../../core/ports.js';
import {
  checkQueueDelay,
  encodeQueueBody,
  MAX_QUEUE_BATCH_ENTRIES,
  MAX_QUEUE_BODY_BYTES,
  QueueSendError,
} from '../../core/queue-body.js';
import { TimerSleeper } from '../local/timer-sleeper.js';
import type { AwsClientsConfig } from './clients.js';

/**
 * An SQS client with explicit timeouts and retries (see clients.ts for why). `endpoint` is for
 * tests only; on AWS the queue URL decides the endpoint.
 */
export function createSqsClient(config: AwsClientsConfig, endpoint?: string): SQSClient {
  return new SQSClient({
    region: config.region,
    maxAttempts: config.maxAttempts,
    retryMode: config.retryMode,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.connectTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
    ...(endpoint !== undefined
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

export interface SqsQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** Attempts for entries SQS reports as failed (the first included). Default 5. */
  maxAttempts?: number;
  /** First backoff step for failed entries; doubles per attempt, full jitter. Default 100 ms. */
  baseDelayMs?: number;
  /** Largest body, and largest total per request, in bytes. Default 256 KiB (the SQS default). */
  maxBodyBytes?: number;
  sleeper?: Sleeper;
  random?: () => number;
  logger?: Logger;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * The send queue on SQS. Bodies go as JSON in SendMessageBatch requests of at most 10 entries
 * and at most `maxBodyBytes` in total (SQS bounds both). Entries SQS lists as `Failed` through no
 * fault of the sender are sent again with exponential backoff and full jitter; a sender fault
 * (or failures left after `maxAttempts`) throws {@link QueueSendError}. Entries sent before a
 * failure stay sent: a caller retries the whole call and the consumer absorbs duplicates.
 */
export class SqsQueue<T> implements Queue<T> {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxBodyBytes: number;
  private readonly sleeper: Sleeper;
  private readonly random: () => number;
  private readonly logger: Logger | undefined;

  constructor(options: SqsQueueOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${options.maxAttempts}`);
    }
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_QUEUE_BODY_BYTES;
    this.sleeper = options.sleeper ?? new TimerSleeper();
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
  }

  async sendBatch(bodies: T[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delaySeconds = checkQueueDelay(options.delaySeconds ?? 0);
    if (!Number.isInteger(delaySeconds)) {
      throw new QueueSendError(`SQS takes whole seconds of delay, got ${delaySeconds}`, { retryable: false });
    }
    // Check every body before sending any, so a bad body costs no half-sent call.
    const encoded = bodies.map((body, index) => encodeQueueBody(body, index, this.maxBodyBytes));
    let request: SendMessageBatchRequestEntry[] = [];
    let requestBytes = 0;
    for (const [index, { json, bytes }] of encoded.entries()) {
      if (request.length === MAX_QUEUE_BATCH_ENTRIES || requestBytes + bytes > this.maxBodyBytes) {
        await this.sendRequest(request);
        request = [];
        requestBytes = 0;
      }
      request.push({
        Id: String(index),
        MessageBody: json,
        ...(delaySeconds > 0 ? { DelaySeconds: delaySeconds } : {}),
      });
      requestBytes += bytes;
    }
    if (request.length > 0) await this.sendRequest(request);
  }

  private async sendRequest(entries: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; ; attempt += 1) {
      let failed: BatchResultErrorEntry[];
      try {
        const res = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        failed = res.Failed ?? [];
      } catch (error) {
        // The SDK has already retried what it retries; what reaches here is the final answer.
        throw new QueueSendError(
          `SendMessageBatch to ${this.queueUrl} failed: ${error instanceof Error ? error.message : String(error)}`,
          { retryable: true, cause: error },
        );
      }
      if (failed.length === 0) return;
      const senderFaults = failed.filter((f) => f.SenderFault);
      if (senderFaults.length > 0) {
        throw new QueueSendError(`SQS refused ${senderFaults.length} message(s): ${describe(senderFaults)}`, {
          retryable: false,
        });
      }
      if (attempt >= this.maxAttempts) {
        throw new QueueSendError(
          `SQS failed ${failed.length} message(s) after ${attempt} attempts: ${describe(failed)}`,
          { retryable: true },
        );
      }
      const failedIds = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => failedIds.has(e.Id));
      const delay = this.random() * Math.min(MAX_BACKOFF_MS, this.baseDelayMs * 2 ** (attempt - 1));
      this.logger?.warn('SQS failed some messages; retrying them', {
        failed: failed.length,
        attempt,
        codes: [...new Set(failed.map((f) => f.Code))],
      });
      await this.sleeper.sleep(delay);
    }
  }
}

function describe(entries: BatchResultErrorEntry[]): string {
  return entries.map((f) => `#${f.Id} ${f.Code}${f.Message ? ` (${f.Message})` : ''}`).join(', ');
}
