/**
 * CPU per recipient in the send worker: the worker as createDeliveryWorker builds it, over lean
 * in-memory ports (ledger, index, editions, objects), sending through SesMailer on an SES
 * client whose network is stubbed (the SDK serializes, signs and parses for real), and again
 * with a mailer that resolves at once. Then the stages one by one (links, personalize, MIME, SDK
 * call), and a CPU profile of the worker by owner: where the time goes.
 *
 * Usage: npx tsx bench/delivery/worker-cpu.ts [--json FILE]
 */
import { SesMailer } from '../../adapters/aws/ses-mailer.js';
import { createDeliveryServices } from '../../adapters/compose/create-delivery-services.js';
import { createDeliveryWorker } from '../../adapters/compose/create-delivery-worker.js';
import { HmacTokenSigner } from '../../adapters/crypto/hmac-token-signer.js';
import { TimerSleeper } from '../../adapters/local/timer-sleeper.js';
import { loadVariant } from '../../core/delivery/load-variant.js';
import type { SendBatch } from '../../core/edition.js';
import { composeMime } from '../../core/email/compose-mime.js';
import { listIdFor } from '../../core/email/list-id.js';
import { personalize } from '../../core/email/personalize.js';
import type { Mailer, ReceivedMessage } from '../../core/ports.js';
import type { Subscriber } from '../../core/subscriber.js';
import { subscriberLink } from '../../core/subscriptions/subscriber-links.js';
import { type BenchReport, progress, runBenchmark } from '../support/bench-report.js';
import { bytes, count, us } from '../support/format.js';
import { markdownTable } from '../support/markdown-table.js';
import { median } from '../support/stats.js';
import { type BenchContent, benchContent, createDigest } from './edition-fixture.js';
import {
  CollectingQueue,
  LeanEditionStore,
  LeanLedger,
  LeanObjectStore,
  LeanSubscriberIndex,
  syntheticSubscribers,
} from './memory-ports.js';
import { profileByCaller } from './profile-owners.js';
import { stubbedSesClient } from './stubbed-ses.js';

const WARMUP = 500;
const MEASURED = 2_000;
const ROUNDS = 5;
const STAGE_SAMPLES = 300;
const STAGE_CONCURRENCY = 50;
/** What one process must stay under to send 500 a second on one core. */
const CEILING_TARGET_PER_SECOND = 500;

const clock = { now: () => new Date() };
const signer = new HmacTokenSigner({ id: 'bench', secret: Buffer.alloc(32, 7).toString('base64url') });

interface Fixture {
  content: BenchContent;
  editions: LeanEditionStore;
  objects: LeanObjectStore;
  index: LeanSubscriberIndex;
  subscribers: Subscriber[];
  messages: ReceivedMessage<SendBatch>[];
  editionId: string;
}

async function fixture(): Promise<Fixture> {
  const content = await benchContent();
  const subscribers = syntheticSubscribers(WARMUP + MEASURED, 'weekly', 'cpu');
  const editions = new LeanEditionStore();
  const objects = new LeanObjectStore();
  const index = new LeanSubscriberIndex(subscribers);
  const queue = new CollectingQueue();
  const services = createDeliveryServices(
    {
      editions,
      ledger: new LeanLedger(),
      subscribers: index,
      objects,
      queue,
      mailer: immediateMailer(),
      clock,
      sleeper: new TimerSleeper(),
    },
    {
      publication: content.publication,
      loadPosts: async () => content.posts,
      emailTemplates: content.emailTemplates,
    },
  );
  const editionId = 'weekly-bench-cpu';
  await createDigest(editions, content, editionId);
  const fanned = await services.fanOut(editionId);
  if (!fanned.ok || fanned.enqueued !== subscribers.length)
    throw new Error(`fan-out: ${JSON.stringify(fanned)}`);
  // Messages in a steady order: full ones first, as a long queue hands them out.
  const batches = [...queue.batches].sort((a, b) => b.recipients.length - a.recipients.length);
  const messages = batches.map((body, i) => ({ id: `m${i}`, body, receiveCount: 1 }));
  return { content, editions, objects, index, subscribers, messages, editionId };
}

/** `12.3 %` for the entry of that name (an owner or a hot function), `0 %` when absent. */
function shareOf(
  entries: ReadonlyArray<{ owner?: string; name?: string; share: number }>,
  key: string,
): string {
  const found = entries.find((e) => e.owner === key || e.name === key);
  return `${((found?.share ?? 0) * 100).toFixed(0)} %`;
}

function immediateMailer(): Mailer {
  let n = 0;
  return { send: async () => ({ messageId: `m-${++n}` }) };
}

/** Runs the worker over every message (10 per call, as SQS hands them); CPU and wall per recipient of the measured part. */
async function runWorker(f: Fixture, mailer: Mailer): Promise<{ cpuUs: number; wallUs: number }> {
  const worker = createDeliveryWorker(
    {
      editions: f.editions,
      ledger: new LeanLedger(),
      subscribers: f.index,
      objects: f.objects,
      queue: new CollectingQueue(),
      mailer,
      signer,
      clock,
      sleeper: new TimerSleeper(),
    },
    { publication: f.content.publication, worker: { sendRatePerSecond: 1_000_000, concurrency: 50 } },
  );
  let done = 0;
  let cpu: NodeJS.CpuUsage | undefined;
  let wall = 0n;
  for (let i = 0; i < f.messages.length; i += 10) {
    if (cpu === undefined && done >= WARMUP) {
      cpu = process.cpuUsage();
      wall = process.hrtime.bigint();
    }
    const group = f.messages.slice(i, i + 10);
    const result = await worker.handleSendBatches(group);
    if (result.failedIds.length > 0) throw new Error(`worker failed ${result.failedIds.length} messages`);
    done += group.reduce((n, m) => n + m.body.recipients.length, 0);
  }
  if (!cpu) throw new Error('nothing measured');
  const used = process.cpuUsage(cpu);
  const measured = done - WARMUP;
  return {
    cpuUs: (used.user + used.system) / measured,
    wallUs: Number(process.hrtime.bigint() - wall) / 1000 / measured,
  };
}

/**
 * CPU µs per call of one stage over {@link STAGE_SAMPLES} recipients, 50 at a time as the worker
 * runs them (a stream-based step awaited one by one pays an event-loop turn per call that
 * concurrent calls share).
 */
async function stage(
  work: (s: Subscriber, i: number) => unknown,
  subscribers: readonly Subscriber[],
): Promise<number> {
  const run = async (n: number) => {
    for (let i = 0; i < n; i += STAGE_CONCURRENCY) {
      await Promise.all(
        Array.from({ length: Math.min(STAGE_CONCURRENCY, n - i) }, (_, k) =>
          work(subscribers[(i + k) % subscribers.length] as Subscriber, i + k),
        ),
      );
    }
  };
  await run(100);
  const start = process.cpuUsage();
  await run(STAGE_SAMPLES);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / STAGE_SAMPLES;
}

export async function workerCpuBenchmark(): Promise<BenchReport> {
  progress('fan-out of the benchmark digest (in memory)');
  const f = await fixture();
  const sdk = () => new SesMailer(stubbedSesClient().client, { configurationSetName: 'bench' });
  const compiled = await loadVariant(f.objects, f.editionId, 'all');
  const now = new Date();
  const links = (s: Subscriber) => ({
    unsubscribeUrl: subscriberLink(signer, f.content.publication.url, 'unsubscribe', s, now),
    preferencesUrl: subscriberLink(signer, f.content.publication.url, 'preferences', s, now),
  });
  const sample = f.subscribers.slice(0, 200);
  const prepared = sample.map((s) => ({ s, links: links(s) }));
  const bodies = prepared.map((p) => personalize(compiled, p.links));
  const listId = listIdFor(f.content.publication);
  const mime = (i: number) => {
    const p = prepared[i % prepared.length];
    const body = bodies[i % bodies.length];
    if (!p || !body) throw new Error('no sample');
    return composeMime({
      from: f.content.publication.email.from,
      replyTo: f.content.publication.email.replyTo,
      to: p.s.email,
      subject: compiled.subject,
      html: body.html,
      text: body.text,
      date: now,
      listUnsubscribeUrl: p.links.unsubscribeUrl,
      listId,
    });
  };
  const raws = await Promise.all(prepared.map((_, i) => mime(i)));
  const mailer = sdk();
  const stageRuns = {
    links: [] as number[],
    personalize: [] as number[],
    mime: [] as number[],
    sdk: [] as number[],
  };
  const withSdk: Array<{ cpuUs: number; wallUs: number }> = [];
  const without: Array<{ cpuUs: number; wallUs: number }> = [];
  // Everything measured in every round, in turn, so that the machine's drifting load weighs on all alike.
  for (let round = 1; round <= ROUNDS; round++) {
    progress(
      `round ${round} of ${ROUNDS}: the worker with the SDK (stubbed network), with a mailer that resolves at once, then each stage`,
    );
    withSdk.push(await runWorker(f, sdk()));
    without.push(await runWorker(f, immediateMailer()));
    stageRuns.links.push(await stage((s) => links(s), sample));
    stageRuns.personalize.push(
      await stage(
        (_, i) =>
          personalize(compiled, prepared[i % prepared.length]?.links ?? links(sample[0] as Subscriber)),
        sample,
      ),
    );
    stageRuns.mime.push(await stage((_, i) => mime(i), sample));
    stageRuns.sdk.push(
      await stage(
        (s, i) =>
          mailer.send({
            raw: raws[i % raws.length] as Uint8Array,
            from: 'weekly@bench.example.com',
            to: [s.email],
            tags: { edition: 'weekly-bench', subscriber: s.id, kind: 'edition' },
          }),
        sample,
      ),
    );
  }
  const stages = {
    links: median(stageRuns.links),
    personalize: median(stageRuns.personalize),
    mime: median(stageRuns.mime),
    sdk: median(stageRuns.sdk),
  };

  progress('CPU profile of the worker, native work charged to its caller');
  const { owners, hottest } = await profileByCaller(() => runWorker(f, sdk()));

  const a = median(withSdk.map((r) => r.cpuUs));
  const b = median(without.map((r) => r.cpuUs));
  const staged = stages.links + stages.personalize + stages.mime + stages.sdk;
  const ceiling = 1_000_000 / a;
  const rawSize = median(raws.map((r) => r.byteLength));
  const row = (what: string, cpu: number, wall?: number) => [
    what,
    us(cpu / 1000),
    wall === undefined ? '' : us(wall / 1000),
  ];
  return {
    title: 'Send worker: CPU per recipient',
    command: 'npx tsx bench/delivery/worker-cpu.ts',
    setup: [
      `The worker as \`createDeliveryWorker\` builds it, over lean in-memory ports (ledger, fan-out index, editions, variants), sending a ${DIGEST_LABEL} (${bytes(rawSize)} of MIME per mail); ${count(MEASURED)} recipients measured after ${count(WARMUP)} of warm-up, 10 queue messages of up to 50 recipients per call, median of ${ROUNDS} rounds.`,
      'CPU is user + system time of the process (`process.cpuUsage`) divided by recipients; the SDK call goes through `SesMailer` and the whole SDK stack (serialize, SigV4, parse the XML answer) with the network handler stubbed to answer at once.',
      `Stages are measured alone, ${count(STAGE_SAMPLES)} recipients each per round, ${STAGE_CONCURRENCY} at a time as the worker runs them, in every round between the worker runs (medians): separate measurements, so their sum need not match the worker's figure exactly; the profile, taken inside the worker, is the better guide to shares. The profile covers one more run of the worker only (setup excluded); time spent in Node's own code (Buffer, base64, hashing, regular expressions) is charged to the package or folder that called it. Sampling slows the run, so the profile gives shares, turned into µs with the CPU per recipient above.`,
    ],
    tables: [
      markdownTable(
        ['per recipient', 'CPU', 'wall'],
        [
          row('worker, SES SDK with the network stubbed', a, median(withSdk.map((r) => r.wallUs))),
          row('worker, mailer that resolves at once', b, median(without.map((r) => r.wallUs))),
          row('· two signed links (HMAC)', stages.links),
          row('· personalize (splice the links)', stages.personalize),
          row('· compose MIME (nodemailer)', stages.mime),
          row('· SES SDK call, network stubbed', stages.sdk),
        ],
        ['left', 'right', 'right'],
      ),
      markdownTable(
        ['owner (CPU profile of the worker, native work charged to its caller)', 'share', '≈ per recipient'],
        owners
          .slice(0, 10)
          .map((o) => [o.owner, `${(o.share * 100).toFixed(1)} %`, us((o.share * a) / 1000)]),
        ['left', 'right', 'right'],
      ),
      markdownTable(
        ['hottest functions of the same profile (self time)', 'share', '≈ per recipient'],
        hottest.map((h) => [h.name, `${(h.share * 100).toFixed(1)} %`, us((h.share * a) / 1000)]),
        ['left', 'right', 'right'],
      ),
    ],
    verdicts: [
      {
        target: `one process can keep ${CEILING_TARGET_PER_SECOND} sends/s on CPU (≤ ${1_000_000 / CEILING_TARGET_PER_SECOND} µs per recipient)`,
        measured: `${us(a / 1000)} per recipient: at most ${count(ceiling)} sends/s per core`,
        pass: ceiling >= CEILING_TARGET_PER_SECOND,
      },
    ],
    notes: [
      `Inside the worker (the profile), ${shareOf(owners, '@smithy/core')} of its CPU is the SDK's serialization (@smithy/core), most of it encoding the base64 message into the form body of SES's query protocol (\`extendedEncodeURIComponent\` alone: ${shareOf(hottest, 'extendedEncodeURIComponent (@smithy/core)')}), and ${shareOf(owners, 'nodemailer')} is nodemailer composing the MIME message; the stages measured alone (${us(stages.mime / 1000)} for the MIME, ${us(stages.sdk / 1000)} for the SDK call) add up to ${us(staged / 1000)}, more than the worker's own figure, because each stage run alone pays its own garbage collection and event-loop turns.`,
    ],
  };
}

const DIGEST_LABEL = 'weekly digest of five synthetic posts';

await runBenchmark(import.meta.url, workerCpuBenchmark);
