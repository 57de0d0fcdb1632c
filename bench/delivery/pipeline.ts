/**
 * 10,000 subscribers through the local pipeline: the services as createDeliveryServices wires
 * them for the fan-out, the real DynamoDB adapters on dynalite (a child process with its own
 * core), the in-process queue, and the send worker pool: N worker threads, each a send worker as
 * createDeliveryWorker builds it with its own SDK clients and its share of the rate, sending
 * through SesMailer to the SES stand-in (another child process) with a fixed latency and SES's
 * throttling at the configured rate. For each rate and latency: achieved rate ÷ configured rate,
 * SES-call latency, retries, duplicates (counted at the stand-in by recipient), and where the CPU
 * went: the main thread, each send thread, dynalite, the stand-in, the rest of the machine.
 *
 * Usage: npx tsx bench/delivery/pipeline.ts [--threads 2] [--rates 14,100,500] [--latencies 30,150] [--no-profile] [--json FILE]
 * `--threads 0` runs one send worker in the main thread instead, as the pipeline ran before the pool.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createSesClient } from '../../adapters/aws/clients.js';
import { DynamoDeliveryLedger } from '../../adapters/aws/dynamo-delivery-ledger.js';
import { DynamoEditionStore } from '../../adapters/aws/dynamo-edition-store.js';
import { DynamoSubscriberIndex } from '../../adapters/aws/dynamo-subscriber-index.js';
import { SesMailer } from '../../adapters/aws/ses-mailer.js';
import { createDeliveryServices } from '../../adapters/compose/create-delivery-services.js';
import { createDeliveryWorker } from '../../adapters/compose/create-delivery-worker.js';
import { HmacTokenSigner } from '../../adapters/crypto/hmac-token-signer.js';
import { InProcessQueue } from '../../adapters/local/in-process-queue.js';
import { type SendThreadStats, SendWorkerPool, socketsFor } from '../../adapters/local/send-worker-pool.js';
import { type SendTiming, TimedMailer } from '../../adapters/local/timed-mailer.js';
import { TimerSleeper } from '../../adapters/local/timer-sleeper.js';
import { inFlightFor } from '../../core/delivery/send-rate.js';
import { resolveSendWorkerConfig, SEND_SLOT_MS } from '../../core/delivery/send-worker-config.js';
import type { SendBatch } from '../../core/edition.js';
import type { BatchResult, Mailer, ReceivedMessage } from '../../core/ports.js';
import { type BenchReport, progress, runBenchmark } from '../support/bench-report.js';
import { bytes, count, ms } from '../support/format.js';
import { markdownTable } from '../support/markdown-table.js';
import { quantile } from '../support/stats.js';
import { benchContent, createDigest } from './edition-fixture.js';
import { type BenchAws, startBenchAws, writeAudience } from './local-aws.js';
import { machineCpu } from './machine-cpu.js';
import { LeanObjectStore, shardSpread, syntheticSubscribers } from './memory-ports.js';
import { type HotFunction, type OwnerShare, profileByCaller } from './profile-owners.js';
import { profileThreadsByCaller } from './profile-threads.js';

export const AUDIENCE = 10_000;
/** Rates below this are measured over a window, not a whole 10,000 run (14/s would take 12 minutes). */
const WINDOW_BELOW_RATE = 50;
const LOW_RATE_WINDOW = 1_500;
const TARGET_RATIO = 0.95;
const PROFILED_SENDS = 2_000;
/** Send worker threads on this 2-CPU machine: one per core. */
const DEFAULT_THREADS = 2;
/** Queue batches (10 messages of up to 50 recipients) in flight per send worker. */
const BATCHES_PER_WORKER = 2;
/** A run whose busiest event loop was busier than this had no CPU to spare. */
const CPU_BOUND_BUSY = 0.9;
/** A run that misses with CPU to spare runs again with its in-flight sends sized for this long a send. */
const RERUN_SLOT_MS = 2 * SEND_SLOT_MS;
const SIGNING_KEY = { id: 'bench', secret: Buffer.alloc(32, 9).toString('base64url') };

/** What one send thread did during a run. */
export interface ThreadFigures {
  thread: number;
  sends: number;
  /** CPU µs of the thread during the run. */
  cpuUs: number;
  /** Share of the run its event loop was busy. */
  busy: number;
  peakHeap: number;
}

export interface RunResult {
  rate: number;
  latencyMs: number;
  /** Send worker threads; 0 = one worker in the main thread. */
  threads: number;
  /** Sends in flight at most, all workers together. */
  concurrency: number;
  fanOutMs: number;
  sends: number;
  windowSends: number;
  steadyRate: number;
  wholeRate: number;
  p50: number;
  p99: number;
  retries: number;
  throttled: number;
  duplicates: number;
  recipientsAtSes: number;
  ledgerSent: number | undefined;
  cpuUsPerSend: number;
  /** CPU seconds the benchmark process (all its threads) got per second of the run: 1 = a whole core. */
  coreShare: number;
  /** CPU µs per send of the rest of the process: the main thread, and V8's and libuv's helper threads (GC, compilers). */
  mainCpuUsPerSend: number;
  mainBusy: number;
  perThread: ThreadFigures[];
  startRss: number;
  peakRss: number;
  peakHeap: number;
  peakLiveHeap: number | undefined;
  dynaliteCpu: number;
  standInCpu: number;
  /** Busy CPUs of the whole machine during the run (every process, others' too). */
  machineBusy: number | undefined;
  wallMs: number;
  cutShort: boolean;
  /** The time a send was taken to hold its slot when sizing the in-flight sends, when not the default ({@link SEND_SLOT_MS}). */
  sizedForMs: number | undefined;
}

/** The fan-out's services never send: the workers do. */
const noMailer: Mailer = {
  send: () => Promise.reject(new Error('the benchmark sends through its send workers only')),
};

/**
 * Peak RSS and main-thread heap, sampled every 100 ms; the send threads' heaps every 500 ms; and
 * the main thread's peak live heap: its heap right after a full collection, every 5 s (only when
 * Node runs with --expose-gc, as bench/run-delivery.ts starts it; threads cannot be collected on
 * demand).
 */
function memorySampler(pool: SendWorkerPool | undefined) {
  const startRss = process.memoryUsage().rss;
  let rss = 0;
  let heap = 0;
  let live: number | undefined;
  const threadHeaps = new Map<number, number>();
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  let asking = false;
  const sampleThreads = () => {
    if (!pool || asking) return;
    asking = true;
    void pool
      .stats()
      .then((stats) => {
        for (const s of stats)
          threadHeaps.set(s.thread, Math.max(threadHeaps.get(s.thread) ?? 0, s.heapUsed));
      })
      .finally(() => {
        asking = false;
      });
  };
  const collect = globalThis.gc;
  const sampleLive = () => {
    if (!collect) return;
    collect();
    live = Math.max(live ?? 0, process.memoryUsage().heapUsed);
  };
  sample();
  const timers = [setInterval(sample, 100), setInterval(sampleThreads, 500), setInterval(sampleLive, 5_000)];
  return {
    stop() {
      for (const t of timers) clearInterval(t);
      sample();
      return { startRss, rss, heap, live, threadHeaps };
    },
  };
}

/** Sends per second between the first and last of `times` (ms, ascending). */
function rateOf(times: readonly number[]): number {
  if (times.length < 2) return 0;
  return ((times.length - 1) * 1000) / ((times.at(-1) as number) - (times[0] as number));
}

type Handler = (messages: ReceivedMessage<SendBatch>[]) => Promise<BatchResult>;

async function runOne(
  aws: BenchAws,
  rate: number,
  latencyMs: number,
  threads: number,
  options: {
    stopAfter?: number;
    label?: string;
    /** Size each worker's in-flight sends for this much time a send (`inFlightFor`), not by the default. */
    sizedForMs?: number;
    /** Wraps the measured part (setup and teardown stay outside): the profiler. */
    around?: (measured: () => Promise<RunResult>) => Promise<RunResult>;
  } = {},
): Promise<RunResult> {
  const content = await benchContent();
  const clock = { now: () => new Date() };
  const editions = new DynamoEditionStore(aws.doc, aws.tables.editions);
  const ledger = new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries);
  const subscribers = new DynamoSubscriberIndex(aws.doc, aws.tables.subscribers);
  const objects = new LeanObjectStore();
  const queue = new InProcessQueue<SendBatch>({
    concurrency: BATCHES_PER_WORKER * Math.max(1, threads),
    visibilityTimeoutSeconds: 900,
    maxReceives: 5,
  });
  const calls: SendTiming[] = [];
  let sent = 0;
  const record = (timing: SendTiming) => {
    calls.push(timing);
    if (timing.outcome === 'sent') sent += 1;
  };
  let pool: SendWorkerPool | undefined;
  let handle: Handler;
  let concurrency: number;
  const workerRate = rate / Math.max(1, threads);
  const sized =
    options.sizedForMs === undefined ? {} : { concurrency: inFlightFor(workerRate, options.sizedForMs) };
  if (threads > 0) {
    pool = await SendWorkerPool.start({
      threads,
      totalSendRate: rate,
      settings: {
        clients: aws.config,
        tablePrefix: aws.tablePrefix,
        sesConfigurationSet: 'bench',
        signingKeys: { current: SIGNING_KEY },
        publication: content.publication,
        worker: sized,
      },
      queue,
      objects,
      onSendTimings: (timings) => {
        for (const t of timings) record(t);
      },
    });
    handle = pool.handle;
    concurrency = pool.concurrencyPerThread * threads;
  } else {
    const worker = { sendRatePerSecond: rate, ...sized };
    concurrency = resolveSendWorkerConfig(worker).concurrency;
    const ses = createSesClient({ ...aws.config, maxSockets: socketsFor(concurrency) });
    const mailer = new TimedMailer(new SesMailer(ses, { configurationSetName: 'bench' }), 0, record);
    const sendWorker = createDeliveryWorker(
      {
        editions,
        ledger,
        subscribers,
        objects,
        queue,
        mailer,
        signer: new HmacTokenSigner(SIGNING_KEY),
        clock,
        sleeper: new TimerSleeper(),
      },
      { publication: content.publication, worker },
    );
    handle = (messages) => sendWorker.handleSendBatches(messages);
  }
  const services = createDeliveryServices(
    { editions, ledger, subscribers, objects, queue, mailer: noMailer, clock, sleeper: new TimerSleeper() },
    {
      publication: content.publication,
      loadPosts: async () => content.posts,
      emailTemplates: content.emailTemplates,
    },
  );
  const editionId = `weekly-bench-r${rate}-l${latencyMs}-t${threads}${options.sizedForMs === undefined ? '' : `-s${options.sizedForMs}`}${options.label ?? ''}`;
  await createDigest(editions, content, editionId);
  await aws.standIn.configure({ latencyMs, maxSendRate: rate, throttleRatio: 0, serverErrorRatio: 0 });
  await aws.standIn.reset();

  const windowed = rate < WINDOW_BELOW_RATE || options.stopAfter !== undefined;
  const warmup = Math.max(50, 2 * rate);
  const target = options.stopAfter ?? (windowed ? warmup + LOW_RATE_WINDOW : AUDIENCE);
  const measured = async (): Promise<RunResult> => {
    const memory = memorySampler(pool);
    const threadsBefore = (await pool?.stats()) ?? [];
    const cpu = process.cpuUsage();
    const machine = machineCpu(availableParallelism());
    const elu = performance.eventLoopUtilization();
    const childCpu = [aws.dynalite.cpuSeconds(), aws.standIn.cpuSeconds()];

    const runStart = performance.now();
    try {
      const fanStart = performance.now();
      const fanned = await services.fanOut(editionId);
      const fanOutMs = performance.now() - fanStart;
      if (!fanned.ok || fanned.enqueued !== AUDIENCE) throw new Error(`fan-out: ${JSON.stringify(fanned)}`);
      queue.start(handle);
      const started = Date.now();
      const ticker = setInterval(() => {
        progress(
          `${rate}/s, ${latencyMs} ms, ${threads} thread${threads === 1 ? '' : 's'}: ${count(sent)} sent after ${Math.round((Date.now() - started) / 1000)} s`,
        );
      }, 10_000);
      try {
        if (windowed) {
          while (sent < target) await new Promise((r) => setTimeout(r, 200));
          // Enough measured: the pause stops the rest (workers claim nothing new, in-flight sends finish).
          await services.pause(editionId);
          await queue.stop();
        } else {
          await queue.drain();
          await queue.stop();
        }
      } finally {
        clearInterval(ticker);
      }
      const threadsAfter = (await pool?.stats()) ?? [];
      const used = process.cpuUsage(cpu);
      const busyCpus = machine.stop();
      const wallMs = performance.now() - runStart;
      const loop = performance.eventLoopUtilization(elu);
      const peak = memory.stop();
      const stats = await aws.standIn.stats();
      const completions = calls
        .filter((c) => c.outcome === 'sent')
        .map((c) => c.endedAt)
        .sort((a, b) => a - b);
      const end = windowed
        ? Math.min(completions.length, target)
        : Math.max(warmup + 2, completions.length - concurrency);
      const window = completions.slice(warmup, end);
      const ledgerSent = windowed ? undefined : (await ledger.count(editionId)).sent;
      const perThread = threadFigures(threadsBefore, threadsAfter, calls, peak.threadHeaps);
      const processCpuUs = used.user + used.system;
      const threadsCpuUs = perThread.reduce((n, t) => n + t.cpuUs, 0);
      return {
        rate,
        latencyMs,
        threads,
        concurrency,
        fanOutMs,
        sends: completions.length,
        windowSends: window.length,
        steadyRate: rateOf(window),
        wholeRate: rateOf(completions),
        p50: quantile(
          calls.map((c) => c.endedAt - c.startedAt),
          0.5,
        ),
        p99: quantile(
          calls.map((c) => c.endedAt - c.startedAt),
          0.99,
        ),
        retries: calls.filter((c) => c.outcome === 'retryable').length,
        throttled: stats.throttled,
        duplicates: stats.duplicates,
        recipientsAtSes: stats.recipients,
        ledgerSent,
        cpuUsPerSend: processCpuUs / completions.length,
        coreShare: processCpuUs / 1000 / wallMs,
        mainCpuUsPerSend: (processCpuUs - threadsCpuUs) / completions.length,
        mainBusy: loop.utilization,
        perThread,
        startRss: peak.startRss,
        peakRss: peak.rss,
        peakHeap: peak.heap,
        peakLiveHeap: peak.live,
        dynaliteCpu: aws.dynalite.cpuSeconds() - (childCpu[0] ?? 0),
        standInCpu: aws.standIn.cpuSeconds() - (childCpu[1] ?? 0),
        machineBusy: busyCpus,
        wallMs,
        cutShort: windowed,
        sizedForMs: options.sizedForMs,
      };
    } finally {
      memory.stop();
    }
  };
  try {
    return await (options.around ? options.around(measured) : measured());
  } finally {
    await queue.stop();
    await pool?.close();
  }
}

/** Each send thread's share of the run, from the pool's figures before and after it. */
function threadFigures(
  before: readonly SendThreadStats[],
  after: readonly SendThreadStats[],
  calls: readonly SendTiming[],
  heaps: ReadonlyMap<number, number>,
): ThreadFigures[] {
  return after.map((a) => {
    const b = before.find((s) => s.thread === a.thread);
    const restarted = !b || a.starts !== b.starts;
    const cpu = (s: SendThreadStats | undefined) => (s ? s.cpu.user + s.cpu.system : 0);
    const active = a.eventLoop.active - (restarted ? 0 : (b?.eventLoop.active ?? 0));
    const idle = a.eventLoop.idle - (restarted ? 0 : (b?.eventLoop.idle ?? 0));
    return {
      thread: a.thread,
      sends: calls.filter((c) => c.thread === a.thread && c.outcome === 'sent').length,
      cpuUs: cpu(a) - (restarted ? 0 : cpu(b)),
      busy: active + idle > 0 ? active / (active + idle) : 0,
      peakHeap: Math.max(heaps.get(a.thread) ?? 0, a.heapUsed),
    };
  });
}

function listArg(name: string, fallback: number[]): number[] {
  const at = process.argv.indexOf(name);
  if (at === -1) return fallback;
  return (process.argv[at + 1] ?? '')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
}

function threadsArg(): number {
  const at = process.argv.indexOf('--threads');
  if (at === -1) return DEFAULT_THREADS;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--threads takes a whole number ≥ 0, got ${process.argv[at + 1]}`);
  return n;
}

export async function pipelineBenchmark(): Promise<BenchReport> {
  const rates = listArg('--rates', [14, 100, 500]);
  const latencies = listArg('--latencies', [30, 150]);
  const threads = threadsArg();
  progress(
    threads === 0
      ? 'one send worker in the main thread (--threads 0)'
      : `send worker pool of ${threads} thread${threads === 1 ? '' : 's'} (--threads ${threads})`,
  );
  progress('starting dynalite and the SES stand-in in child processes');
  const aws = await startBenchAws();
  try {
    const audience = syntheticSubscribers(AUDIENCE, 'weekly', 'pipe');
    progress(`writing ${count(AUDIENCE)} subscribers into dynalite`);
    await writeAudience(aws, audience);
    const results: RunResult[] = [];
    for (const latencyMs of latencies) {
      for (const rate of rates) {
        progress(`run: ${rate} sends/s configured, ${latencyMs} ms SES latency, ${threads} send threads`);
        results.push(await runOne(aws, rate, latencyMs, threads));
      }
    }
    // A miss with idle CPU left: run it again with more sends in flight, to tell the two causes apart.
    for (const r of [...results]) {
      if (r.steadyRate / r.rate >= TARGET_RATIO || busiestLoop(r) > CPU_BOUND_BUSY) continue;
      const sizedForMs = RERUN_SLOT_MS;
      progress(
        `run again: ${r.rate}/s at ${r.latencyMs} ms, in-flight sends sized for ${sizedForMs} ms a send`,
      );
      results.push(await runOne(aws, r.rate, r.latencyMs, threads, { sizedForMs }));
    }
    let profile: { threads: number; owners: OwnerShare[]; hottest: HotFunction[] } | undefined;
    if (!process.argv.includes('--no-profile')) {
      progress('one more run at 500/s, 30 ms, under the profiler: where the send workers spend their CPU');
      await runOne(aws, 500, 30, threads, {
        stopAfter: PROFILED_SENDS,
        label: '-profiled',
        around: async (measured) => {
          const taken =
            threads === 0
              ? { ...(await profileByCaller(measured)), threads: 0 }
              : await profileThreadsByCaller(measured, { threadTitle: /send-worker-\d+/ });
          profile = taken;
          return taken.value;
        },
      });
    }
    return pipelineReport(results, shardSpread(audience), profile);
  } finally {
    await aws.stop();
  }
}

function eachThread(r: RunResult, value: (t: ThreadFigures) => string): string {
  return r.perThread.length === 0 ? '—' : r.perThread.map(value).join(' · ');
}

export function pipelineReport(
  results: RunResult[],
  spread: { min: number; max: number },
  profile: { threads: number; owners: OwnerShare[]; hottest: HotFunction[] } | undefined,
): BenchReport {
  const threads = results[0]?.threads ?? DEFAULT_THREADS;
  const cores = (s: number) => s.toFixed(2);
  const rows = results.map((r) => [
    `${r.rate}/s`,
    `${r.latencyMs} ms`,
    r.sizedForMs === undefined ? String(r.concurrency) : `${r.concurrency} (for ${r.sizedForMs} ms)`,
    `${count(r.windowSends)}${r.cutShort ? ` (window)` : ''}`,
    r.steadyRate.toFixed(1),
    (r.steadyRate / r.rate).toFixed(2),
    r.wholeRate.toFixed(1),
    ms(r.p50),
    ms(r.p99),
    String(r.retries),
    String(r.duplicates),
    r.ledgerSent === undefined ? '—' : count(r.ledgerSent),
  ]);
  const cpu = results.map((r) => {
    const seconds = r.wallMs / 1000;
    const ours = r.coreShare + (r.dynaliteCpu + r.standInCpu) / seconds;
    return [
      runLabel(r),
      `${Math.round(r.cpuUsPerSend)} µs`,
      cores(r.coreShare),
      `${Math.round(r.mainCpuUsPerSend)} µs`,
      `${(r.mainBusy * 100).toFixed(0)} %`,
      eachThread(r, (t) => `${t.sends > 0 ? Math.round(t.cpuUs / t.sends) : 0} µs`),
      eachThread(r, (t) => `${(t.busy * 100).toFixed(0)} %`),
      cores(r.dynaliteCpu / seconds),
      cores(r.standInCpu / seconds),
      r.machineBusy === undefined
        ? '—'
        : `${cores(r.machineBusy)} (${cores(Math.max(0, r.machineBusy - ours))})`,
    ];
  });
  const memory = results.map((r) => [
    runLabel(r),
    `${bytes(r.startRss)} → ${bytes(r.peakRss)}`,
    bytes(r.peakHeap),
    r.peakLiveHeap === undefined ? '—' : bytes(r.peakLiveHeap),
    eachThread(r, (t) => bytes(t.peakHeap)),
    ms(r.fanOutMs),
  ]);
  const missed = results.filter((r) => r.steadyRate / r.rate < TARGET_RATIO);
  const workers =
    threads === 0
      ? 'one send worker in the main thread, as `createDeliveryWorker` builds it (`--threads 0`)'
      : `the send worker pool (adapters/local/send-worker-pool.ts) of ${threads} worker thread${threads === 1 ? '' : 's'} (\`--threads ${threads}\`), each a send worker as \`createDeliveryWorker\` builds it with its own SDK clients, token bucket and caches, at \`perWorkerRate(total, 1, ${threads})\` of the configured rate, as ${threads} Lambda instances of the send function would be`;
  return {
    title: 'Delivery pipeline: 10,000 subscribers at 14, 100 and 500 sends/s',
    command: 'npx tsx bench/delivery/pipeline.ts',
    setup: [
      `${count(AUDIENCE)} active weekly subscribers (${spread.min}–${spread.max} per fan-out shard) in dynalite, run from its CLI in a child process; the real DynamoDB adapters (edition store, delivery ledger, fan-out index); fan-out and the in-process queue in the main thread (${BATCHES_PER_WORKER} batches of 10 messages in flight per send worker); ${workers}. Each worker's concurrency comes from its rate (\`resolveSendWorkerConfig\`; "in flight" below is all workers together), its SDK clients keep that many sockets open; \`SesMailer\` through the real SDK client. The rendered variant is in the main thread's memory; threads read it once each, through the pool.`,
      'The SES stand-in (tests/support/ses-stand-in.ts) runs in another child process on 127.0.0.1, answers after a fixed latency, and throttles like SES above the configured rate (its own bucket of one second). Duplicates are counted there, by recipient.',
      `Steady rate: successful SES answers per second after a warm-up of two seconds' worth of sends (the token buckets start full) and before the last in-flight sends. Below ${WINDOW_BELOW_RATE}/s a whole run takes 12 minutes, so the rate is taken over a window of ${count(LOW_RATE_WINDOW)} sends after warm-up, then the edition is paused and the run ends (marked "window"). Whole rate: every send from the first to the last answer. Latency is each SES call as its worker timed it. A run that misses its rate while no event loop was more than ${CPU_BOUND_BUSY * 100} % busy runs again with each worker's in-flight sends sized for ${RERUN_SLOT_MS} ms a send (\`inFlightFor\`), twice the default, to tell the in-flight limit from the CPU.`,
      "Process CPU is everything the benchmark process (all its threads: fan-out, queue, workers, SDK clients, timers) used during the run, divided by the sends: at low rates the fan-out and the idle waits weigh on few sends. \"Cores used\" is that CPU time over the run's wall time: 1.00 is a whole core. \"Rest of the process\" is the process's CPU minus the send threads' own: the main thread (fan-out, queue, the threads' calls into it, at the main loop's busy share) and V8's and libuv's helper threads (garbage collection, compilers), which the send threads' garbage keeps busy; each send thread's CPU (`Worker.cpuUsage`) is divided by the sends it made, and its event loop's busy share is over the run. dynalite and the stand-in are counted apart, in their processes, in cores. \"Machine busy\" is every CPU of the machine (/proc/stat) in use during the run, with what other processes than these three used in brackets: the machine is shared, and two cores are all there is.",
      "Memory: RSS of the whole process when the run starts (tsx, the SDK, MJML, the audience fixture and the threads loaded) and its peak; the main thread's peak heap (garbage included, sampled every 100 ms) and peak live heap (right after a full collection, every 5 s); each send thread's peak heap (sampled every 500 ms, garbage included: a thread cannot be collected on demand).",
      `After the runs${profile === undefined ? ' (not in this run: --no-profile)' : ''}, ${count(PROFILED_SENDS)} more sends at 500/s and 30 ms run under the inspector's CPU profiler, ${threads === 0 ? 'in the main thread' : 'in every send thread (the NodeWorker domain), their profiles added up'}; time in Node's own code (Buffer, base64, hashing, sockets) is charged to the package that called it.`,
    ],
    tables: [
      markdownTable(
        [
          'configured',
          'SES latency',
          'in flight',
          'sends measured',
          'steady rate',
          'ratio',
          'whole rate',
          'p50',
          'p99',
          'retries',
          'duplicates',
          'ledger sent',
        ],
        rows,
        Array.from({ length: 12 }, () => 'right' as const),
      ),
      markdownTable(
        [
          'run',
          'process CPU per send',
          'cores used',
          'rest of the process: CPU per send',
          'main thread: loop busy',
          'send threads: CPU per send',
          'send threads: loop busy',
          'dynalite, cores',
          'stand-in, cores',
          `machine busy, of ${availableParallelism()} cores (others)`,
        ],
        cpu,
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
      markdownTable(
        [
          'run',
          'RSS at start → peak',
          'main: peak heap',
          'main: peak live heap',
          'send threads: peak heap',
          'fan-out (10,000)',
        ],
        memory,
        ['left', 'right', 'right', 'right', 'right', 'right'],
      ),
      ...(profile === undefined
        ? []
        : [
            markdownTable(
              [
                `owner (profile of ${count(PROFILED_SENDS)} sends at 500/s, 30 ms; native work charged to its caller)`,
                `share of the ${threads === 0 ? "worker process's" : 'send threads’'} CPU`,
              ],
              profile.owners.slice(0, 10).map((o) => [o.owner, `${(o.share * 100).toFixed(1)} %`]),
              ['left', 'right'],
            ),
            markdownTable(
              ['hottest functions of the same profile (self time)', 'share'],
              profile.hottest.map((h) => [h.name, `${(h.share * 100).toFixed(1)} %`]),
              ['left', 'right'],
            ),
          ]),
    ],
    verdicts: [
      ...results.map((r) => ({
        target: `${r.rate}/s at ${r.latencyMs} ms${r.sizedForMs === undefined ? '' : `, in-flight sends sized for ${r.sizedForMs} ms`}: achieved ÷ configured ≥ ${TARGET_RATIO}`,
        measured: `${(r.steadyRate / r.rate).toFixed(2)} (${r.steadyRate.toFixed(1)}/s)`,
        pass: r.steadyRate / r.rate >= TARGET_RATIO,
      })),
      {
        target: 'no duplicates at SES, in any run',
        measured: `${results.reduce((n, r) => n + r.duplicates, 0)} duplicates`,
        pass: results.every((r) => r.duplicates === 0),
      },
      {
        target: 'every full run: one ledger row sent per subscriber, and one mail each at SES',
        measured: results
          .filter((r) => !r.cutShort)
          .map(
            (r) =>
              `${r.rate}/s ${r.latencyMs} ms: ${count(r.ledgerSent ?? 0)} sent, ${count(r.recipientsAtSes)} recipients`,
          )
          .join('; '),
        pass: results
          .filter((r) => !r.cutShort)
          .every((r) => r.ledgerSent === AUDIENCE && r.recipientsAtSes === AUDIENCE),
      },
    ],
    notes: [
      ...missed.map((r) => missNote(r, results)),
      ...(missed.length === 0
        ? []
        : [
            "What one send costs, and who could make it cheaper (see the send worker benchmark above for the in-memory figures): the SDK encoding the raw message into the form body of SES v1 SendRawEmail (adapters/aws/ses-mailer.ts; `extendedEncodeURIComponent` of @smithy/core over the base64 of every 52 KB mail), nodemailer composing the MIME message (core/email/compose-mime.ts), and, per send, the conditional PutItem of the claim and its share of the BatchGet and BatchWrite calls through the DynamoDB SDK. The event loop's own work (sockets, streams) grows with the number of calls.",
          ]),
      "On AWS each send worker (a Lambda instance) sends total × share ÷ maximum concurrency per second and has its own CPU: at the CPU per send above, a worker at the send function's 512 MB (about 0.29 of a vCPU) sends about 100 a second, so 500/s needs 6 workers or more memory; the send function logs a warning at cold start when its share is above what its CPU can send.",
    ],
  };
}

/** The busiest event loop of a run: the main thread's or a send thread's. */
function busiestLoop(r: RunResult): number {
  return Math.max(r.mainBusy, ...r.perThread.map((t) => t.busy));
}

/** `500/s, 150 ms`, and the in-flight sizing when it is not the default. */
function runLabel(r: RunResult): string {
  return `${r.rate}/s, ${r.latencyMs} ms${r.sizedForMs === undefined ? '' : `, in flight for ${r.sizedForMs} ms`}`;
}

/** Why a run missed its rate, in the figures that say it: who was busy, and how much CPU there was. */
function missNote(r: RunResult, results: readonly RunResult[]): string {
  const seconds = r.wallMs / 1000;
  const needed = (r.rate * r.cpuUsPerSend) / 1e6;
  const busiest = busiestLoop(r);
  const loops =
    r.threads === 0
      ? `the worker's event loop was busy ${(r.mainBusy * 100).toFixed(0)} %`
      : `the send threads' event loops were busy ${r.perThread.map((t) => `${(t.busy * 100).toFixed(0)} %`).join(' and ')}, the main thread's ${(r.mainBusy * 100).toFixed(0)} %`;
  const machine =
    r.machineBusy === undefined
      ? ''
      : `; the machine's ${availableParallelism()} cores were ${((r.machineBusy / availableParallelism()) * 100).toFixed(0)} % busy (this process ${r.coreShare.toFixed(2)}, dynalite ${(r.dynaliteCpu / seconds).toFixed(2)}, the stand-in ${(r.standInCpu / seconds).toFixed(2)}, other work ${Math.max(0, r.machineBusy - r.coreShare - (r.dynaliteCpu + r.standInCpu) / seconds).toFixed(2)})`;
  const bound = busiest > CPU_BOUND_BUSY ? 'CPU-bound' : 'not CPU-bound';
  const base = `${runLabel(r)} missed (${(r.steadyRate / r.rate).toFixed(2)}), ${bound}: ${loops}, at ${Math.round(r.cpuUsPerSend)} µs of process CPU per send; the rate needs ${needed.toFixed(2)} cores and the process got ${r.coreShare.toFixed(2)}${machine}.`;
  if (busiest > CPU_BOUND_BUSY || r.sizedForMs !== undefined) return base;
  // With CPU to spare, the workers ran out of in-flight sends: a send holds its slot for more than the SES call.
  const again = results.find(
    (o) =>
      o.sizedForMs !== undefined &&
      o.rate === r.rate &&
      o.latencyMs === r.latencyMs &&
      o.threads === r.threads,
  );
  const slotMs = (r.concurrency / r.steadyRate) * 1000;
  const rerun =
    again === undefined
      ? ''
      : ` Sized for ${again.sizedForMs} ms a send (${again.concurrency} in flight, \`inFlightFor(rate, ${again.sizedForMs})\` per worker), the same run reached ${(again.steadyRate / again.rate).toFixed(2)} (${again.steadyRate.toFixed(1)}/s).`;
  return `${base} With CPU to spare, the in-flight limit held it back: ${r.concurrency} sends in flight at ${r.steadyRate.toFixed(0)}/s is ${slotMs.toFixed(0)} ms a send (the SES call, p50 ${ms(r.p50)}, plus building the mail, the claim written to the ledger first and waits for a busy event loop), where the default concurrency (\`resolveSendWorkerConfig\`: rate × ${SEND_SLOT_MS} ms × 1.25) allows ${((r.concurrency / r.rate) * 1000).toFixed(0)} ms.${rerun}`;
}

await runBenchmark(import.meta.url, pipelineBenchmark);
