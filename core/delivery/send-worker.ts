/**
 * The send worker: queue messages of recipients in, one mail per active subscriber out, each
 * recorded in the delivery ledger. What this module imports is bundled into the send function,
 * so it must stay free of MJML and Liquid (a test walks its import graph): it only loads the
 * stored rendering and splices each recipient's links into it.
 */
import type { Edition, Recipient, SendBatch } from '../edition.js';
import { composeMime } from '../email/compose-mime.js';
import { listIdFor } from '../email/list-id.js';
import { type CompiledEdition, personalize } from '../email/personalize.js';
import { MailerError } from '../mailer-error.js';
import type { Publication } from '../model.js';
import type {
  BatchResult,
  Clock,
  DeliveryLedger,
  EditionStore,
  Logger,
  Mailer,
  ObjectStore,
  Queue,
  ReceivedMessage,
  Sleeper,
  SubscriberIndex,
  TokenSigner,
} from '../ports.js';
import type { Subscriber } from '../subscriber.js';
import { subscriberLink } from '../subscriptions/subscriber-links.js';
import { fullJitterDelay } from './backoff.js';
import { settleDeadLetter } from './dead-letter.js';
import { editionCache } from './edition-cache.js';
import { createLimiter } from './limit-concurrency.js';
import { variantCache } from './load-variant.js';
import { parseSendBatch } from './parse-send-batch.js';
import type { SendWorkerConfig } from './send-worker-config.js';
import { tagValue } from './ses-tags.js';
import { TokenBucket } from './token-bucket.js';

export interface SendWorkerDeps {
  editions: EditionStore;
  ledger: DeliveryLedger;
  subscribers: SubscriberIndex;
  /** Where fan-out stored the rendered variants. */
  objects: ObjectStore;
  /** The send queue itself: a paused edition's messages go back on it with a delay. */
  queue: Queue<SendBatch>;
  mailer: Mailer;
  signer: TokenSigner;
  clock: Clock;
  sleeper: Sleeper;
  /** Sender, reply-to, title (List-Id) and URL (the base of every recipient's links). */
  publication: Pick<Publication, 'title' | 'url' | 'email'>;
  /** A new random id: one per attempt (the holder of its claims). */
  newId(): string;
  /** A random number in [0, 1), for backoff jitter. */
  random(): number;
  config: SendWorkerConfig;
  logger?: Logger | undefined;
}

export interface SendWorker {
  /**
   * Handles one batch of queue messages (as SQS hands them to Lambda) and answers the ids to
   * deliver again (partial batch failure). Never throws for one bad message.
   */
  handleSendBatches(messages: ReceivedMessage<SendBatch>[]): Promise<BatchResult>;
}

/** What became of one recipient in this receive. */
type Outcome =
  /** Has an outcome in the ledger (sent, failed, skipped, unknown), or another attempt holds it. */
  | { kind: 'settled' }
  | { kind: 'sent'; messageId: string }
  /** The edition was paused before the claim. */
  | { kind: 'paused' }
  /** Not sent, safe to try again on redelivery. */
  | { kind: 'retry'; reason: string };

/**
 * A worker with its own token bucket, concurrency limit and caches: create one per process (one
 * per Lambda instance) and call {@link SendWorker.handleSendBatches} for every batch.
 *
 * Per recipient: skip if the ledger has an outcome; a claim of another attempt older than the
 * lease becomes `unknown` (it may have been sent; never resent); re-read the subscriber, and if
 * it is no longer active (or is another record now) write a `skipped` row; otherwise splice the
 * signed links, build the MIME message, wait for a token, claim (`sending`) and send at once.
 * Sent rows are marked in batches. Throttling and other retryable errors release the claim and
 * retry after a full-jitter backoff; a timeout after the request left is ambiguous → `unknown`;
 * other errors → `failed` with the reason. Recipients still unsent make the message fail (SQS
 * delivers it again; the ledger skips what is done), and on the last receive they are given up
 * as `failed: dead-lettered: …`. A paused edition's message goes back on the queue with a delay.
 */
export function createSendWorker(deps: SendWorkerDeps): SendWorker {
  const { config, ledger, clock } = deps;
  const bucket = new TokenBucket({ ratePerSecond: config.sendRatePerSecond, burst: config.burst, clock });
  const limit = createLimiter(config.concurrency);
  const editionOf = editionCache(deps.editions, clock, config.editionCacheMs);
  const variantOf = variantCache(deps.objects);
  const listId = listIdFor(deps.publication);
  const from = deps.publication.email.from;
  const replyTo = deps.publication.email.replyTo;

  async function handleMessage(message: ReceivedMessage<SendBatch>): Promise<boolean> {
    let batch: SendBatch | undefined;
    try {
      batch = parseSendBatch(message.body);
      const remaining = await deliverBatch(batch);
      if (remaining.length === 0) return true;
      const reason = remaining[0]?.reason ?? 'not sent';
      await giveUpIfLast(message, { ...batch, recipients: remaining.map((r) => r.recipient) }, reason);
      deps.logger?.warn('send batch not finished', {
        messageId: message.id,
        editionId: batch.editionId,
        unsent: remaining.length,
        receiveCount: message.receiveCount,
        reason,
      });
      return false;
    } catch (error) {
      deps.logger?.error('send batch failed', {
        messageId: message.id,
        receiveCount: message.receiveCount,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      if (batch) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await giveUpIfLast(message, batch, reason).catch((e: unknown) =>
          deps.logger?.error('could not record dead-lettered recipients', {
            messageId: message.id,
            error: String(e),
          }),
        );
      }
      return false;
    }
  }

  async function giveUpIfLast(
    message: ReceivedMessage<SendBatch>,
    batch: SendBatch,
    reason: string,
  ): Promise<void> {
    if (message.receiveCount < config.maxReceives) return;
    const marked = await settleDeadLetter(deps, batch, reason, config.claimLeaseMs);
    deps.logger?.warn('send batch dead-lettered', { editionId: batch.editionId, recipients: marked, reason });
  }

  /** Delivers what it can; returns the recipients left for a redelivery. */
  async function deliverBatch(batch: SendBatch): Promise<Array<{ recipient: Recipient; reason: string }>> {
    const edition = await editionOf(batch.editionId);
    if (edition.state === 'paused') {
      await deps.queue.sendBatch([batch], { delaySeconds: config.pausedDelaySeconds });
      return [];
    }
    const compiled = await variantOf(batch.editionId, batch.variantKey);
    const attempt = deps.newId();
    const left: Array<{ recipient: Recipient; reason: string }> = [];

    const rows = await ledger.getMany(
      batch.editionId,
      batch.recipients.map((r) => r.subscriberId),
    );
    const now = clock.now();
    const open: Recipient[] = [];
    for (const recipient of batch.recipients) {
      const row = rows.get(recipient.subscriberId);
      if (!row) open.push(recipient);
      else if (row.status === 'sending') {
        if (now.getTime() - Date.parse(row.updatedAt) >= config.claimLeaseMs) {
          // Its holder died between the claim and the confirmation: the mail may be out.
          await ledger.settle(
            batch.editionId,
            recipient.subscriberId,
            { status: 'unknown', reason: 'claimed but never confirmed', at: now },
            { fromStatus: 'sending' },
          );
        } else left.push({ recipient, reason: 'claimed by another attempt in progress' });
      }
    }
    if (open.length === 0) return left;

    const subscribers = await deps.subscribers.getMany(open.map((r) => r.emailKey));
    const sendable: Array<{ recipient: Recipient; subscriber: Subscriber }> = [];
    for (const recipient of open) {
      const subscriber = subscribers.get(recipient.emailKey);
      const reason = !subscriber || subscriber.id !== recipient.subscriberId ? 'deleted' : subscriber.status;
      if (subscriber && reason === 'active') sendable.push({ recipient, subscriber });
      else {
        await ledger.claim({
          editionId: batch.editionId,
          subscriberId: recipient.subscriberId,
          status: 'skipped',
          attempt,
          reason,
          updatedAt: now.toISOString(),
        });
      }
    }

    const sent = new SentRows(ledger, batch.editionId, attempt, clock, config.markSentBatchSize);
    const paused: Recipient[] = [];
    const outcomes = await Promise.allSettled(
      sendable.map(({ recipient, subscriber }) =>
        limit(async () => {
          const outcome = await sendOne(batch.editionId, compiled, subscriber, attempt);
          if (outcome.kind === 'sent') sent.add(subscriber.id, outcome.messageId);
          else if (outcome.kind === 'paused') paused.push(recipient);
          else if (outcome.kind === 'retry') left.push({ recipient, reason: outcome.reason });
        }),
      ),
    );
    await sent.flush();
    const crashed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (crashed) throw crashed.reason;
    if (paused.length > 0) {
      await deps.queue.sendBatch([{ ...batch, recipients: paused }], {
        delaySeconds: config.pausedDelaySeconds,
      });
    }
    return left;
  }

  async function isPaused(editionId: string): Promise<boolean> {
    const edition: Edition = await editionOf(editionId);
    return edition.state === 'paused';
  }

  async function sendOne(
    editionId: string,
    compiled: CompiledEdition,
    subscriber: Subscriber,
    attempt: string,
  ): Promise<Outcome> {
    const now = clock.now();
    let raw: Uint8Array;
    try {
      const unsubscribeUrl = subscriberLink(
        deps.signer,
        deps.publication.url,
        'unsubscribe',
        subscriber,
        now,
      );
      const preferencesUrl = subscriberLink(
        deps.signer,
        deps.publication.url,
        'preferences',
        subscriber,
        now,
      );
      const body = personalize(compiled, { unsubscribeUrl, preferencesUrl });
      raw = await composeMime({
        from,
        replyTo,
        to: subscriber.email,
        subject: compiled.subject,
        html: body.html,
        text: body.text,
        date: now,
        listUnsubscribeUrl: unsubscribeUrl,
        listId,
      });
    } catch (error) {
      // The mail cannot be built for this address (an invalid address or link): it never will be.
      const reason = `not built: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
      await ledger.claim({
        editionId,
        subscriberId: subscriber.id,
        status: 'failed',
        attempt,
        reason,
        updatedAt: now.toISOString(),
      });
      return { kind: 'settled' };
    }
    const mail = {
      raw,
      from: from.address,
      to: [subscriber.email],
      tags: { edition: tagValue(editionId), subscriber: tagValue(subscriber.id), kind: 'edition' },
    };

    let lastReason = 'not sent';
    for (let n = 1; n <= config.maxSendAttempts; n++) {
      if (await isPaused(editionId)) return { kind: 'paused' };
      const wait = bucket.take();
      if (wait > 0) await deps.sleeper.sleep(wait);
      const claimed = await ledger.claim({
        editionId,
        subscriberId: subscriber.id,
        status: 'sending',
        attempt,
        updatedAt: clock.now().toISOString(),
      });
      if (!claimed.ok) return { kind: 'settled' };
      // Nothing may be awaited between the claim and the call: the claim's lease starts now.
      let messageId: string;
      try {
        ({ messageId } = await deps.mailer.send(mail));
      } catch (error) {
        if (!(error instanceof MailerError)) throw error;
        const reason = `${error.code}: ${error.message}`.slice(0, 500);
        if (error.maybeSent) {
          await ledger.settle(
            editionId,
            subscriber.id,
            { status: 'unknown', reason, at: clock.now() },
            { attempt },
          );
          return { kind: 'settled' };
        }
        if (!error.retryable) {
          await ledger.settle(
            editionId,
            subscriber.id,
            { status: 'failed', reason, at: clock.now() },
            { attempt },
          );
          return { kind: 'settled' };
        }
        await ledger.release(editionId, subscriber.id, attempt);
        lastReason = reason;
        if (n < config.maxSendAttempts) {
          await deps.sleeper.sleep(
            fullJitterDelay(n, config.backoffBaseMs, config.backoffCapMs, deps.random),
          );
        }
        continue;
      }
      return { kind: 'sent', messageId };
    }
    return { kind: 'retry', reason: lastReason };
  }

  return {
    async handleSendBatches(messages) {
      const done = await Promise.all(messages.map((m) => handleMessage(m)));
      return { failedIds: messages.filter((_, i) => !done[i]).map((m) => m.id) };
    },
  };
}

/**
 * Sent rows waiting to be marked, written by group commit: a row is written at once when no
 * write is running, and rows that arrive during a write go together in the next one (at most
 * `size` a call). Marking does not hold up the next send, and the window in which a crash
 * leaves a sent mail `unknown` stays one write long.
 */
class SentRows {
  private rows: Array<{ subscriberId: string; messageId: string; attempt: string }> = [];
  private running: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly editionId: string,
    private readonly attempt: string,
    private readonly clock: Clock,
    private readonly size: number,
  ) {}

  add(subscriberId: string, messageId: string): void {
    this.rows.push({ subscriberId, messageId, attempt: this.attempt });
    this.running ??= this.drain();
  }

  /** Waits until every row is written; throws if a write failed (the rows stay claimed). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure !== undefined) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.rows.length > 0) {
        const rows = this.rows.splice(0, this.size);
        await this.ledger.markSent(this.editionId, rows, this.clock.now());
      }
    } catch (error) {
      this.failure ??= error;
      this.rows = [];
    } finally {
      this.running = undefined;
    }
  }
}
