import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_TUNING } from '../../../adapters/aws/clients.js';
import { createSqsClient, SqsQueue } from '../../../adapters/aws/sqs-queue.js';
import { QueueSendError } from '../../../core/queue-body.js';

interface Entry {
  Id: string;
  MessageBody: string;
  DelaySeconds?: number;
}
interface Request {
  target: string | undefined;
  queueUrl: string;
  entries: Entry[];
}
type Verdict = { fail?: boolean; senderFault?: boolean; code?: string };

/**
 * A tiny SQS speaking the AWS JSON protocol for SendMessageBatch: it records requests, stores
 * the messages it accepts, and fails entries as `decide` says.
 */
class FakeSqs {
  readonly requests: Request[] = [];
  readonly stored: Entry[] = [];
  decide: (entry: Entry, request: number) => Verdict = () => ({});
  answerStatus: number | undefined;
  private server: Server | undefined;
  endpoint = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          QueueUrl: string;
          Entries: Entry[];
        };
        this.requests.push({
          target: req.headers['x-amz-target'] as string | undefined,
          queueUrl: input.QueueUrl,
          entries: input.Entries,
        });
        if (this.answerStatus !== undefined) {
          res.writeHead(this.answerStatus, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(
            JSON.stringify({
              __type: 'com.amazonaws.sqs#InternalError',
              message: 'We encountered an internal error.',
            }),
          );
          return;
        }
        const Successful: unknown[] = [];
        const Failed: unknown[] = [];
        for (const entry of input.Entries) {
          const verdict = this.decide(entry, this.requests.length);
          if (verdict.fail) {
            Failed.push({
              Id: entry.Id,
              SenderFault: verdict.senderFault ?? false,
              Code: verdict.code ?? 'InternalError',
              Message: 'failed on purpose',
            });
          } else {
            this.stored.push(entry);
            Successful.push({
              Id: entry.Id,
              MessageId: `m-${this.stored.length}`,
              MD5OfMessageBody: createHash('md5').update(entry.MessageBody, 'utf8').digest('hex'),
            });
          }
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Successful, Failed }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.requests.length = 0;
    this.stored.length = 0;
    this.decide = () => ({});
    this.answerStatus = undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

describe('SqsQueue through the real SDK client', () => {
  const sqs = new FakeSqs();
  const sleeps: number[] = [];
  const sleeper = {
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
  let queueUrl: string;
  const queue = <T>(options: { maxAttempts?: number; maxBodyBytes?: number } = {}) =>
    new SqsQueue<T>({
      client: createSqsClient(
        { region: 'us-east-1', ...DEFAULT_CLIENT_TUNING, maxAttempts: 1 },
        sqs.endpoint,
      ),
      queueUrl,
      sleeper,
      random: () => 1,
      ...options,
    });

  beforeAll(async () => {
    await sqs.start();
    queueUrl = `${sqs.endpoint}/000000000000/gazette-send`;
  });
  afterAll(() => sqs.close());
  beforeEach(() => {
    sqs.reset();
    sleeps.length = 0;
  });

  it('sends bodies as JSON in SendMessageBatch requests of at most 10, with the delay', async () => {
    const bodies = Array.from({ length: 25 }, (_, n) => ({ editionId: 'weekly-2026-W48', n, name: 'Zoë' }));
    await queue<(typeof bodies)[number]>().sendBatch(bodies, { delaySeconds: 30 });
    expect(sqs.requests.map((r) => r.entries.length)).toEqual([10, 10, 5]);
    expect(
      sqs.requests.every((r) => r.target === 'AmazonSQS.SendMessageBatch' && r.queueUrl === queueUrl),
    ).toBe(true);
    expect(sqs.stored.map((e) => JSON.parse(e.MessageBody))).toEqual(bodies);
    expect(sqs.stored.every((e) => e.DelaySeconds === 30)).toBe(true);
    expect(new Set(sqs.requests[1]!.entries.map((e) => e.Id)).size).toBe(10);
  });

  it('keeps each request under the total size bound', async () => {
    const bodies = Array.from({ length: 10 }, (_, n) => ({ n, pad: 'x'.repeat(290) }));
    await queue<(typeof bodies)[number]>({ maxBodyBytes: 1000 }).sendBatch(bodies);
    expect(sqs.requests.map((r) => r.entries.length)).toEqual([3, 3, 3, 1]);
    expect(sqs.stored).toHaveLength(10);
  });

  it('sends again exactly the entries SQS listed as failed, with backoff, until all are in', async () => {
    sqs.decide = (entry, request) => ({ fail: request <= 2 && (entry.Id === '2' || entry.Id === '5') });
    const bodies = Array.from({ length: 8 }, (_, n) => ({ n }));
    await queue<{ n: number }>().sendBatch(bodies);
    expect(sqs.requests.map((r) => r.entries.map((e) => e.Id))).toEqual([
      ['0', '1', '2', '3', '4', '5', '6', '7'],
      ['2', '5'],
      ['2', '5'],
    ]);
    expect(sqs.stored.map((e) => JSON.parse(e.MessageBody).n).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after maxAttempts with a retryable error naming the failures', async () => {
    sqs.decide = (entry) => ({ fail: entry.Id === '1', code: 'InternalError' });
    const error = await queue<{ n: number }>({ maxAttempts: 3 })
      .sendBatch([{ n: 0 }, { n: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueSendError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/failed 1 message\(s\) after 3 attempts: #1 InternalError/);
    expect(sqs.requests).toHaveLength(3);
  });

  it('does not retry a sender fault', async () => {
    sqs.decide = (entry) => ({ fail: entry.Id === '0', senderFault: true, code: 'InvalidMessageContents' });
    const error = await queue<{ n: number }>()
      .sendBatch([{ n: 0 }, { n: 1 }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'QueueSendError', retryable: false });
    expect((error as Error).message).toContain('#0 InvalidMessageContents');
    expect(sqs.requests).toHaveLength(1);
  });

  it('refuses an oversized body before sending anything', async () => {
    const bodies = [{ n: 0 }, { n: 1, pad: 'x'.repeat(300 * 1024) }];
    await expect(queue<object>().sendBatch(bodies)).rejects.toThrow(
      /body 1 is \d+ bytes; the queue takes at most 262144/,
    );
    await expect(queue<object>().sendBatch([{ n: 0 }], { delaySeconds: 1.5 })).rejects.toThrow(
      /whole seconds/,
    );
    expect(sqs.requests).toHaveLength(0);
  });

  it('reports a failed request as a retryable QueueSendError with the cause', async () => {
    sqs.answerStatus = 500;
    const error = await queue<{ n: number }>()
      .sendBatch([{ n: 0 }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'QueueSendError', retryable: true });
    expect((error as Error).cause).toMatchObject({ name: 'InternalError' });
  });
});
