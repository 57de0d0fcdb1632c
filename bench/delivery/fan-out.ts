/**
 * Fan-out per 1,000 subscribers: 10,000 active weekly subscribers read from the sharded index
 * and put on the queue (the in-process queue, no consumer), over the real DynamoDB adapters on
 * dynalite (a child process) and over lean in-memory ports. Measured with the edition's variant
 * already rendered (what fan-out costs per subscriber) and with it rendered in the run (once per
 * edition, whatever the audience).
 *
 * Usage: npx tsx bench/delivery/fan-out.ts [--json FILE]
 */
import { performance } from 'node:perf_hooks';
import { DynamoEditionStore } from '../../adapters/aws/dynamo-edition-store.js';
import { DynamoSubscriberIndex } from '../../adapters/aws/dynamo-subscriber-index.js';
import { createDeliveryServices } from '../../adapters/compose/create-delivery-services.js';
import { InProcessQueue } from '../../adapters/local/in-process-queue.js';
import { TimerSleeper } from '../../adapters/local/timer-sleeper.js';
import { FANOUT_PAGE_SIZE } from '../../core/delivery/fan-out.js';
import type { SendBatch } from '../../core/edition.js';
import type { EditionStore, SubscriberIndex } from '../../core/ports.js';
import { FANOUT_SHARDS } from '../../core/subscriber.js';
import { type BenchReport, progress, runBenchmark } from '../support/bench-report.js';
import { count, ms } from '../support/format.js';
import { markdownTable } from '../support/markdown-table.js';
import { median } from '../support/stats.js';
import { type BenchContent, benchContent, createDigest } from './edition-fixture.js';
import { startBenchAws, writeAudience } from './local-aws.js';
import {
  LeanEditionStore,
  LeanLedger,
  LeanObjectStore,
  LeanSubscriberIndex,
  syntheticSubscribers,
} from './memory-ports.js';

const AUDIENCE = 10_000;
const WARMUP = 2;
const RUNS = 11;
const TARGET_MS_PER_1000 = 50;
/** API Gateway answers 504 after 30 s; the web function stops at 28 s: keep fan-out inside 25 s. */
const REQUEST_BUDGET_MS = 25_000;

interface Ports {
  editions: EditionStore;
  subscribers: SubscriberIndex;
}

let sequence = 0;

/** One fan-out of a fresh edition: milliseconds, and what was enqueued. */
async function fanOutOnce(ports: Ports, content: BenchContent, prerendered: boolean): Promise<number> {
  const queue = new InProcessQueue<SendBatch>();
  const objects = new LeanObjectStore();
  const services = createDeliveryServices(
    {
      ...ports,
      ledger: new LeanLedger(),
      objects,
      queue,
      mailer: { send: async () => ({ messageId: 'x' }) },
      clock: { now: () => new Date() },
      sleeper: new TimerSleeper(),
    },
    {
      publication: content.publication,
      loadPosts: async () => content.posts,
      emailTemplates: content.emailTemplates,
    },
  );
  sequence += 1;
  const id = `weekly-fanout-${sequence}`;
  await createDigest(ports.editions, content, id);
  if (prerendered) {
    // Rendered beforehand (an earlier, interrupted fan-out, or a preview that stored it).
    const edition = await ports.editions.get(id);
    if (!edition) throw new Error('edition missing');
    await services.renderVariant({ editionId: id, kind: 'digest', cadence: 'weekly', posts: content.posts });
    await ports.editions.addVariant(id, {
      key: 'all',
      postSlugs: content.posts.map((p) => p.slug),
      subject: 'x',
      objectKey: `editions/${id}/variants/all.json`,
    });
  }
  const start = performance.now();
  const result = await services.fanOut(id);
  const elapsed = performance.now() - start;
  if (!result.ok || result.enqueued !== AUDIENCE) throw new Error(`fan-out: ${JSON.stringify(result)}`);
  return elapsed;
}

/** The three measures taken in turn, run after run, so that a busy moment of the machine hits all alike. */
async function series(label: string, ports: Ports, content: BenchContent) {
  const out = { pre: [] as number[], render: [] as number[], index: [] as number[] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    progress(`${label}: run ${i + 1} of ${WARMUP + RUNS}`);
    const pre = await fanOutOnce(ports, content, true);
    const render = await fanOutOnce(ports, content, false);
    const index = await readIndex(ports.subscribers);
    if (i < WARMUP) continue;
    out.pre.push(pre);
    out.render.push(render);
    out.index.push(index);
  }
  return out;
}

/** Reading the index alone: every shard's pages, in parallel, as fan-out reads them. */
async function readIndex(index: SubscriberIndex): Promise<number> {
  const start = performance.now();
  let total = 0;
  await Promise.all(
    Array.from({ length: FANOUT_SHARDS }, async (_, shard) => {
      let cursor: string | undefined;
      do {
        const page = await index.page('weekly', shard, cursor, FANOUT_PAGE_SIZE);
        total += page.entries.length;
        cursor = page.cursor;
      } while (cursor !== undefined);
    }),
  );
  if (total !== AUDIENCE) throw new Error(`index read ${total}`);
  return performance.now() - start;
}

export async function fanOutBenchmark(): Promise<BenchReport> {
  const content = await benchContent();
  const audience = syntheticSubscribers(AUDIENCE, 'weekly', 'fan');
  const memory: Ports = { editions: new LeanEditionStore(), subscribers: new LeanSubscriberIndex(audience) };
  const mem = await series('in memory', memory, content);

  progress('starting dynalite in a child process and writing the audience');
  const aws = await startBenchAws();
  try {
    await writeAudience(aws, audience);
    const dynamo: Ports = {
      editions: new DynamoEditionStore(aws.doc, aws.tables.editions),
      subscribers: new DynamoSubscriberIndex(aws.doc, aws.tables.subscribers),
    };
    const dyn = await series('dynalite', dynamo, content);

    const per1000 = (samples: number[]) => median(samples) / (AUDIENCE / 1000);
    const row = (ports: string, what: string, samples: number[]) => [
      ports,
      what,
      ms(median(samples)),
      ms(per1000(samples)),
    ];
    const dynPer1000 = per1000(dyn.pre);
    const memPer1000 = per1000(mem.pre);
    const budget = Math.floor((REQUEST_BUDGET_MS - median(dyn.render) + median(dyn.pre)) / dynPer1000) * 1000;
    return {
      title: 'Fan-out per 1,000 subscribers',
      command: 'npx tsx bench/delivery/fan-out.ts',
      setup: [
        `${count(AUDIENCE)} active weekly subscribers over ${FANOUT_SHARDS} shards; each run fans out a fresh weekly digest (five posts) into the in-process queue (JSON bodies, 50 recipients a message, no consumer); ${RUNS} runs after ${WARMUP} of warm-up, medians.`,
        'DynamoDB: the real adapters (`DynamoSubscriberIndex`, `DynamoEditionStore`) on dynalite, run from its CLI in a child process. In memory: the same use case over lean Map-backed ports. Rendered variants go to an in-memory object store in both.',
        '"Variant rendered before" is the per-subscriber cost; "rendering in the run" adds the one MJML render per distinct set of posts, paid once per edition whatever the audience.',
      ],
      tables: [
        markdownTable(
          ['ports', 'what', `${count(AUDIENCE)} subscribers`, 'per 1,000'],
          [
            row('DynamoDB (dynalite)', 'fan-out, variant rendered before', dyn.pre),
            row('DynamoDB (dynalite)', 'fan-out, rendering in the run', dyn.render),
            row('DynamoDB (dynalite)', 'reading the index alone (16 shards in parallel)', dyn.index),
            row('in memory', 'fan-out, variant rendered before', mem.pre),
            row('in memory', 'fan-out, rendering in the run', mem.render),
            row('in memory', 'reading the index alone', mem.index),
          ],
          ['left', 'left', 'right', 'right'],
        ),
      ],
      verdicts: [
        {
          target: `fan-out ≤ ${TARGET_MS_PER_1000} ms per 1,000 subscribers (Ghost reports 95-140), DynamoDB adapters on dynalite`,
          measured: ms(dynPer1000),
          pass: dynPer1000 <= TARGET_MS_PER_1000,
        },
        {
          target: `fan-out ≤ ${TARGET_MS_PER_1000} ms per 1,000 subscribers, in-memory ports`,
          measured: ms(memPer1000),
          pass: memPer1000 <= TARGET_MS_PER_1000,
        },
      ],
      notes: [
        `Reading the index takes ${ms(median(dyn.index))} of the ${ms(median(dyn.pre))} of a dynalite fan-out (they overlap: shards are read and enqueued in parallel). dynalite answers every Query from LevelDB in one single-threaded JavaScript process, so the 16 shard queries wait for each other there; DynamoDB serves them from its partitions in parallel, in tens of milliseconds per 1 MB page. On AWS add the SQS calls: one SendMessageBatch per 500 recipients, in parallel across shards.`,
        `The in-memory figure is the engine's own CPU: matching topics, grouping into messages, JSON encoding.`,
        `The editor's "send now" fans out inside its request (API Gateway answers 504 after 30 s; the web function stops at 28 s). At the dynalite rate above, about ${count(budget)} subscribers fit in a ${REQUEST_BUDGET_MS / 1000} s budget after the render; treat that as an upper bound for a list on DynamoDB + SQS until measured there. A list too large for one request still gets its edition exactly once: the timed-out request leaves its finished shards recorded, and sending again (or the next scheduled run) resumes the others. Past that size, the editor should start the edition function asynchronously (it has 10 minutes) and answer at once.`,
      ],
    };
  } finally {
    await aws.stop();
  }
}

await runBenchmark(import.meta.url, fanOutBenchmark);
