import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  fromWireError,
  pickLeastBusy,
  planSendThreads,
  SendWorkerPool,
  type SendWorkerPoolOptions,
  socketsFor,
  toWireError,
} from '../../../../adapters/local/send-worker-pool.js';
import type { SendWorkerThreadSettings } from '../../../../adapters/local/send-worker-thread.js';
import { ConfigError } from '../../../../core/errors.js';
import { QueueSendError } from '../../../../core/queue-body.js';
import { publication } from '../../../support/fixtures.js';
import { MemoryLogger, MemoryObjectStore, TEST_SECRET } from '../../../support/memory-adapters.js';

/** Endpoints nobody listens on: SDK clients connect only when called, and these tests call nothing. */
const settings: SendWorkerThreadSettings = {
  clients: {
    region: 'us-east-1',
    endpoints: { dynamodb: 'http://127.0.0.1:9', s3: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9' },
    connectTimeoutMs: 200,
    requestTimeoutMs: 500,
    maxAttempts: 1,
    retryMode: 'standard',
  },
  tablePrefix: 'unit-',
  siteBucket: 'site',
  signingKeys: { current: { id: 'test', secret: TEST_SECRET } },
  publication,
};

const queue = { sendBatch: async () => undefined };

describe('planSendThreads', () => {
  it('gives each thread perWorkerRate(total, 1, threads) and the concurrency its share needs at 250 ms a send', () => {
    // 250/s × 250 ms × 1.25 = 78.1: 79 in flight.
    expect(planSendThreads({ threads: 2, totalSendRate: 500, settings })).toEqual({
      sendRatePerSecond: 250,
      concurrency: 79,
    });
    expect(planSendThreads({ threads: 4, totalSendRate: 14, settings })).toEqual({
      sendRatePerSecond: 3.5,
      concurrency: 2,
    });
    // A concurrency given in the settings is per thread.
    expect(
      planSendThreads({
        threads: 2,
        totalSendRate: 500,
        settings: { ...settings, worker: { concurrency: 30 } },
      }).concurrency,
    ).toBe(30);
  });

  it('lists every problem at once in a ConfigError', () => {
    let caught: unknown;
    try {
      planSendThreads({
        threads: 0,
        totalSendRate: -1,
        settings,
        objects: new MemoryObjectStore(),
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toContain('threads must be a whole number');
    expect(problems).toContain('total must be a positive number');
    expect(problems).toContain('either an object store or settings.siteBucket');
  });

  it('refuses worker settings the send worker would refuse, and a pool with no place to read variants', () => {
    expect(() =>
      planSendThreads({
        threads: 2,
        totalSendRate: 100,
        settings: { ...settings, worker: { maxReceives: 0 } },
      }),
    ).toThrow(/maxReceives must be a whole number/);
    expect(() =>
      planSendThreads({ threads: 2, totalSendRate: 100, settings: { ...settings, siteBucket: undefined } }),
    ).toThrow(/no place to read the rendered variants/);
  });
});

describe('pickLeastBusy', () => {
  it('takes the ready thread with the fewest batches in flight', () => {
    const slots = [
      { inFlight: 2, state: 'ready' as const },
      { inFlight: 1, state: 'ready' as const },
      { inFlight: 3, state: 'ready' as const },
    ];
    expect(pickLeastBusy(slots, -1)).toBe(1);
  });

  it('takes turns among equally busy threads, starting after the last one picked', () => {
    const slots = [0, 0, 0].map((inFlight) => ({ inFlight, state: 'ready' as const }));
    expect(pickLeastBusy(slots, -1)).toBe(0);
    expect(pickLeastBusy(slots, 0)).toBe(1);
    expect(pickLeastBusy(slots, 1)).toBe(2);
    expect(pickLeastBusy(slots, 2)).toBe(0);
  });

  it('prefers a ready thread to one still starting, and avoids one that failed to start', () => {
    expect(
      pickLeastBusy(
        [
          { inFlight: 0, state: 'starting' },
          { inFlight: 0, state: 'ready' },
        ],
        1,
      ),
    ).toBe(1);
    expect(
      pickLeastBusy(
        [
          { inFlight: 0, state: 'failed' },
          { inFlight: 5, state: 'ready' },
        ],
        1,
      ),
    ).toBe(1);
    // With nothing else left, a failed slot still gets the batch (it fails fast; the queue retries).
    expect(pickLeastBusy([{ inFlight: 0, state: 'failed' }], 0)).toBe(0);
  });
});

describe('errors between threads', () => {
  it('keep the classes callers test with instanceof, and their data', () => {
    const config = fromWireError(toWireError(new ConfigError(['a is wrong', 'b is missing'])));
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as ConfigError).problems).toEqual(['a is wrong', 'b is missing']);

    const queueError = fromWireError(toWireError(new QueueSendError('too large', { retryable: false })));
    expect(queueError).toBeInstanceOf(QueueSendError);
    expect((queueError as QueueSendError).retryable).toBe(false);

    class DeliveryHiccup extends Error {
      override readonly name = 'DeliveryHiccup';
    }
    const other = fromWireError(toWireError(new DeliveryHiccup('ledger unavailable')));
    expect(other.name).toBe('DeliveryHiccup');
    expect(other.message).toBe('ledger unavailable');
    expect(other.stack).toContain('DeliveryHiccup');
    expect(fromWireError(toWireError('plain text')).message).toBe('plain text');
  });
});

describe('socketsFor', () => {
  it('keeps the SDK default of 50 and grows with the sends in flight', () => {
    expect(socketsFor(4)).toBe(50);
    expect(socketsFor(47)).toBe(63);
    expect(socketsFor(94)).toBe(110);
  });
});

describe('SendWorkerPool.start', () => {
  const options = (extra: Partial<SendWorkerPoolOptions> = {}): SendWorkerPoolOptions => ({
    threads: 2,
    totalSendRate: 10,
    settings,
    queue,
    ...extra,
  });

  it('checks the settings before starting any thread', async () => {
    await expect(SendWorkerPool.start(options({ threads: 1.5 }))).rejects.toBeInstanceOf(ConfigError);
  });

  it('starts threads that build their workers, reports them, and stops them', async () => {
    const pool = await SendWorkerPool.start(options());
    try {
      expect(pool.threads).toBe(2);
      expect(pool.sendRatePerThread).toBe(5);
      const stats = await pool.stats();
      expect(stats.map((s) => [s.thread, s.starts, s.crashes, s.batchesHandled])).toEqual([
        [0, 1, 0, 0],
        [1, 1, 0, 0],
      ]);
      expect(stats.every((s) => s.heapUsed > 0 && s.cpu.user > 0)).toBe(true);
    } finally {
      await pool.close();
    }
    expect((await pool.stats()).every((s) => s.cpu.user === 0 && s.heapUsed === 0)).toBe(true);
  });

  it("rejects with the thread's own error when a thread cannot build its worker", async () => {
    const logger = new MemoryLogger();
    // A module without decorateMailer: every thread fails at start.
    const notADecorator = fileURLToPath(
      new URL('../../../../adapters/local/timer-sleeper.ts', import.meta.url),
    );
    await expect(SendWorkerPool.start(options({ mailerDecorator: notADecorator, logger }))).rejects.toThrow(
      /exports no decorateMailer function/,
    );
    await expect(
      SendWorkerPool.start(
        options({ settings: { ...settings, signingKeys: { current: { id: 'bad id!', secret: 'short' } } } }),
      ),
    ).rejects.toThrow(/key/i);
  });
});
