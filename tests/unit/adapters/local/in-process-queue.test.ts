import { describe, expect, it } from 'vitest';
import {
  type DeadLetter,
  InProcessQueue,
  QueueStoppedError,
} from '../../../../adapters/local/in-process-queue.js';
import type { BatchResult, ReceivedMessage } from '../../../../core/ports.js';
import { QueueSendError } from '../../../../core/queue-body.js';
import { ManualTimers, settle } from './manual-timers.js';

interface Body {
  n: number;
}

/** Records every batch a handler sees; `decide` says which ids fail. */
function recorder(decide: (m: ReceivedMessage<Body>) => boolean = () => false) {
  const batches: ReceivedMessage<Body>[][] = [];
  const handler = async (messages: ReceivedMessage<Body>[]): Promise<BatchResult> => {
    batches.push(messages);
    return { failedIds: messages.filter(decide).map((m) => m.id) };
  };
  const seen = () => batches.flat().map((m) => m.body.n);
  return { batches, handler, seen };
}

async function sendNumbers(queue: InProcessQueue<Body>, from: number, count: number, delaySeconds = 0) {
  for (let i = from; i < from + count; i += 10) {
    const bodies = Array.from({ length: Math.min(10, from + count - i) }, (_, k) => ({ n: i + k }));
    await queue.sendBatch(bodies, { delaySeconds });
  }
}

describe('InProcessQueue', () => {
  it('delivers batches of at most batchSize, in order, each message once, then drains', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time, batchSize: 4 });
    const r = recorder();
    await queue.sendBatch(Array.from({ length: 10 }, (_, n) => ({ n })));
    queue.start(r.handler);
    await queue.drain();
    expect(r.batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(r.seen()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.batches.flat().every((m) => m.receiveCount === 1)).toBe(true);
    expect(new Set(r.batches.flat().map((m) => m.id)).size).toBe(10);
    expect(queue.stats()).toMatchObject({ ready: 0, invisible: 0, sent: 10, received: 10, deleted: 10 });
    expect(time.timerCount).toBe(0);
  });

  it('refuses bodies SQS would refuse, and enqueues nothing of a refused call', async () => {
    const queue = new InProcessQueue<unknown>({ timers: new ManualTimers(), maxBodyBytes: 100 });
    await expect(queue.sendBatch([{ n: 1 }], { delaySeconds: 901 })).rejects.toThrow(QueueSendError);
    await expect(queue.sendBatch([{ n: 1 }], { delaySeconds: -1 })).rejects.toThrow(/delaySeconds/);
    const many = [...Array.from({ length: 30 }, (_, n) => ({ n })), { big: 'x'.repeat(200) }];
    await expect(queue.sendBatch(many)).rejects.toThrow(/body 30 is 21\d bytes; the queue takes at most 100/);
    await expect(queue.sendBatch([{ n: 10n }])).rejects.toThrow(/body 0 cannot be serialized/);
    await expect(queue.sendBatch([undefined])).rejects.toThrow(/no JSON form/);
    expect(queue.stats().sent).toBe(0);
  });

  it('hands consumers the JSON form of a body, a fresh copy on each receive', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<{ at: unknown; list: number[] }>({ timers: time });
    const original = { at: new Date('2026-11-27T09:00:00Z'), list: [1] };
    const received: unknown[] = [];
    queue.start(async (messages) => {
      for (const m of messages) received.push(m.body);
      return { failedIds: [] };
    });
    await queue.sendBatch([original]);
    original.list.push(2);
    await queue.drain();
    expect(received).toEqual([{ at: '2026-11-27T09:00:00.000Z', list: [1] }]);
  });

  it('keeps a delayed message invisible until its delay has passed', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time });
    const r = recorder();
    queue.start(r.handler);
    await queue.sendBatch([{ n: 1 }], { delaySeconds: 60 });
    await queue.sendBatch([{ n: 2 }]);
    await time.advance(59_000);
    expect(r.seen()).toEqual([2]);
    expect(queue.stats().delayed).toBe(1);
    await time.advance(1_000);
    expect(r.seen()).toEqual([2, 1]);
    await queue.drain();
  });

  it('redelivers only the failed ids, after the visibility timeout, with a higher receive count', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time, visibilityTimeoutSeconds: 30 });
    const r = recorder((m) => m.body.n === 3 && m.receiveCount === 1);
    queue.start(r.handler);
    await sendNumbers(queue, 0, 5);
    await settle();
    expect(r.batches).toHaveLength(1);
    expect(queue.stats()).toMatchObject({ invisible: 1, deleted: 4 });

    await time.advance(29_999);
    expect(r.batches).toHaveLength(1);
    await time.advance(1);
    expect(r.batches).toHaveLength(2);
    expect(r.batches[1]!.map((m) => [m.body.n, m.receiveCount])).toEqual([[3, 2]]);
    expect(r.batches[1]![0]!.id).not.toBe(r.batches[0]![3]!.id);
    await queue.drain();
    expect(queue.stats()).toMatchObject({ deleted: 5, redelivered: 1, deadLettered: 0 });
  });

  it('brings a whole batch back when the handler throws', async () => {
    const time = new ManualTimers();
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (msg: string) => errors.push(msg) };
    const queue = new InProcessQueue<Body>({ timers: time, visibilityTimeoutSeconds: 10, logger });
    let calls = 0;
    const seen: Array<[number, number]> = [];
    queue.start(async (messages) => {
      calls += 1;
      for (const m of messages) seen.push([m.body.n, m.receiveCount]);
      if (calls === 1) throw new Error('worker crashed');
      return { failedIds: [] };
    });
    await sendNumbers(queue, 0, 3);
    await time.advance(10_000);
    await queue.drain();
    expect(seen).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    expect(errors).toHaveLength(1);
  });

  it('delivers again a message whose batch outlives the visibility timeout, ignoring the late answer', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time, visibilityTimeoutSeconds: 5, concurrency: 2 });
    const seen: Array<[number, number]> = [];
    let finishedFirst = false;
    queue.start(async (messages) => {
      for (const m of messages) seen.push([m.body.n, m.receiveCount]);
      if (messages[0]!.receiveCount === 1) {
        await time.sleep(8_000); // longer than the visibility timeout
        finishedFirst = true;
      }
      return { failedIds: [] };
    });
    await queue.sendBatch([{ n: 7 }]);
    await time.advance(5_000);
    // The second receive happened while the first handler was still busy.
    expect(seen).toEqual([
      [7, 1],
      [7, 2],
    ]);
    expect(finishedFirst).toBe(false);
    await time.advance(3_000);
    await queue.drain();
    expect(finishedFirst).toBe(true);
    expect(queue.stats()).toMatchObject({ received: 2, deleted: 1 });
  });

  it('dead-letters a message after maxReceives failed receives and reports it', async () => {
    const time = new ManualTimers();
    const letters: DeadLetter<Body>[] = [];
    const queue = new InProcessQueue<Body>({
      timers: time,
      visibilityTimeoutSeconds: 20,
      maxReceives: 3,
      onDeadLetter: (letter) => {
        letters.push(letter);
      },
    });
    const r = recorder((m) => m.body.n === 1);
    queue.start(r.handler);
    await queue.sendBatch([{ n: 1 }, { n: 2 }]);
    const drained = queue.drain();
    await time.advance(20_000);
    await time.advance(20_000);
    expect(queue.deadLetters()).toHaveLength(0);
    await time.advance(20_000);
    await drained;
    expect(r.batches.flat().map((m) => [m.body.n, m.receiveCount])).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [1, 3],
    ]);
    const dead = queue.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ body: { n: 1 }, receiveCount: 3 });
    expect(dead[0]!.deadLetteredAt.getTime() - dead[0]!.sentAt.getTime()).toBe(60_000);
    expect(letters).toEqual(dead);
    expect(queue.stats()).toMatchObject({ deadLettered: 1, deleted: 1, invisible: 0, ready: 0 });
  });

  it('keeps at most `concurrency` batches in flight', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time, concurrency: 3, visibilityTimeoutSeconds: 600 });
    let inFlight = 0;
    let maxInFlight = 0;
    const sizes: number[] = [];
    const gates: Array<() => void> = [];
    queue.start(async (messages) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sizes.push(messages.length);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight -= 1;
      return { failedIds: [] };
    });
    await sendNumbers(queue, 0, 100);
    await settle();
    expect(inFlight).toBe(3);
    expect(queue.stats()).toMatchObject({ ready: 70, invisible: 30 });
    const drained = queue.drain();
    while (queue.stats().deleted < 100) {
      const open = gates.splice(0);
      for (const g of open) g();
      await settle();
    }
    await drained;
    expect(maxInFlight).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);
    expect(sizes.every((s) => s === 10)).toBe(true);
  });

  it('drain waits for delayed and invisible messages; stop rejects a pending drain', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time, visibilityTimeoutSeconds: 30 });
    await expect(queue.drain()).resolves.toBeUndefined();
    await queue.sendBatch([{ n: 1 }]);
    await expect(queue.drain()).rejects.toThrow(QueueStoppedError);

    const r = recorder((m) => m.receiveCount === 1);
    queue.start(r.handler);
    let drained = false;
    const waiting = queue.drain().then(() => {
      drained = true;
    });
    await settle();
    expect(drained).toBe(false);
    await time.advance(30_000);
    await waiting;
    expect(drained).toBe(true);

    await queue.sendBatch([{ n: 2 }], { delaySeconds: 100 });
    const pending = queue.drain();
    await queue.stop();
    await expect(pending).rejects.toThrow(/stopped before it drained/);
    expect(queue.stats().delayed).toBe(1);
    expect(time.timerCount).toBe(0);
  });

  it('keeps messages across stop and start', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time });
    const first = recorder();
    queue.start(first.handler);
    await queue.stop();
    await queue.sendBatch([{ n: 1 }, { n: 2 }]);
    await settle();
    expect(first.batches).toHaveLength(0);
    const second = recorder();
    queue.start(second.handler);
    expect(() => queue.start(second.handler)).toThrow(/already has a consumer/);
    await queue.drain();
    expect(second.seen()).toEqual([1, 2]);
  });

  it('delivers 10,000 messages exactly once with concurrency and a failing fraction', async () => {
    const time = new ManualTimers();
    const queue = new InProcessQueue<Body>({ timers: time, concurrency: 8, visibilityTimeoutSeconds: 1 });
    const done = new Map<number, number>();
    queue.start(async (messages) => {
      const failedIds: string[] = [];
      for (const m of messages) {
        if (m.body.n % 7 === 0 && m.receiveCount === 1) failedIds.push(m.id);
        else done.set(m.body.n, (done.get(m.body.n) ?? 0) + 1);
      }
      return { failedIds };
    });
    await sendNumbers(queue, 0, 10_000);
    const drained = queue.drain();
    await time.advance(1_000);
    await drained;
    expect(done.size).toBe(10_000);
    expect([...done.values()].every((c) => c === 1)).toBe(true);
    expect(queue.stats()).toMatchObject({ sent: 10_000, deleted: 10_000, redelivered: 1429 });
  });

  it('works on real timers', async () => {
    const queue = new InProcessQueue<Body>({ visibilityTimeoutSeconds: 0.05, maxReceives: 2 });
    const r = recorder((m) => m.body.n === 1 && m.receiveCount === 1);
    queue.start(r.handler);
    await queue.sendBatch([{ n: 1 }, { n: 2 }]);
    await queue.sendBatch([{ n: 3 }], { delaySeconds: 0.05 });
    await queue.drain();
    await queue.stop();
    const receives = r.batches.flat().map((m) => `${m.body.n}:${m.receiveCount}`);
    expect(receives.slice(0, 2)).toEqual(['1:1', '2:1']);
    expect(receives.slice(2).sort()).toEqual(['1:2', '3:1']);
  });
});
