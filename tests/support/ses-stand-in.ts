/**
 * An SES v1 Query-API stand-in on 127.0.0.1 for fault and load tests: it takes `SendRawEmail`
 * exactly as `@aws-sdk/client-ses` sends it, records each accepted mail, and answers with the
 * real response shapes. Faults are injected by ratio (throttling, 5xx, a connection dropped after
 * the mail was taken, a request never answered), latency is fixed or drawn per call, and an
 * optional send-rate limit throttles like SES does when the account's rate is exceeded.
 *
 * Lean on purpose (benchmarks drive thousands of sends a second through it): no logging, raw
 * bytes kept only on request, counters instead of per-call records where possible.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SesStandInOptions {
  /** Delay before every answer: a fixed number of ms, or a function drawing one per call. */
  latencyMs?: number | (() => number);
  /** Share of calls answered with `Throttling` / "Maximum sending rate exceeded." (HTTP 400). */
  throttleRatio?: number;
  /** Share of calls answered with `InternalFailure` (HTTP 500). */
  serverErrorRatio?: number;
  /** Share of calls whose mail is taken (recorded) and whose connection is then dropped unanswered. */
  dropRatio?: number;
  /** Share of calls whose mail is taken and which are never answered (the client times out). */
  hangRatio?: number;
  /** Recipients answered with `MessageRejected` (HTTP 400), compared case-insensitively. */
  rejectRecipients?: Iterable<string>;
  /** Sends per second accepted; beyond it calls get `Throttling`, as SES does. Unlimited when absent. */
  maxSendRate?: number;
  /** Keep each accepted mail's raw bytes (for reading mail back); off for load tests. Default true. */
  keepRaw?: boolean;
  /** Random source in [0, 1) for the ratios; pass seededRandom (seeded-random.ts) for reproducible runs. */
  random?: () => number;
}

/** One accepted mail. */
export interface StandInMail {
  messageId: string;
  /** Envelope recipients (Destinations, or To/Cc/Bcc of the raw message when none are given). */
  to: string[];
  source: string | undefined;
  tags: Record<string, string>;
  configurationSet: string | undefined;
  /** The decoded RFC 5322 message; empty when `keepRaw` is off. */
  raw: Buffer;
  /** Milliseconds since the epoch when the mail was taken. */
  acceptedAt: number;
  /** How the call ended after the mail was taken. */
  outcome: 'answered' | 'dropped' | 'hung';
}

export interface StandInCounters {
  /** Requests received, of every action. */
  calls: number;
  /** Mails taken (answered, dropped or hung). */
  accepted: number;
  throttled: number;
  serverErrors: number;
  dropped: number;
  hung: number;
  rejected: number;
  /** Requests being handled right now, and the most at once since the last reset. */
  inFlight: number;
  maxConcurrency: number;
}

export interface SesStandIn {
  /** `http://127.0.0.1:<port>`, for the SES client's `endpoint`. */
  endpoint: string;
  readonly counters: Readonly<StandInCounters>;
  /** Mails taken per recipient address (lower case). */
  readonly sendsByRecipient: ReadonlyMap<string, number>;
  /** Every mail taken, oldest first. */
  mails(): StandInMail[];
  /** Changes fault injection or latency from now on. */
  configure(options: Omit<SesStandInOptions, 'keepRaw'>): void;
  /** Forgets mails and counters (options stay). */
  reset(): void;
  close(): Promise<void>;
}

const XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';
const MAX_BODY_BYTES = 60 * 1024 * 1024;

/** Latency drawn from a normal distribution (Box-Muller), clamped at 0. */
export function normalLatency(
  meanMs: number,
  sdMs: number,
  random: () => number = Math.random,
): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.max(0, meanMs + sdMs * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  };
}

/** Starts a stand-in on a free port of 127.0.0.1. */
export async function startSesStandIn(initial: SesStandInOptions = {}): Promise<SesStandIn> {
  let options = normalize(initial);
  const keepRaw = initial.keepRaw ?? true;
  const counters: StandInCounters = emptyCounters();
  const byRecipient = new Map<string, number>();
  let mails: StandInMail[] = [];
  const hanging = new Set<ServerResponse>();
  let bucket = { tokens: options.maxSendRate ?? 0, at: Date.now() };

  const takeRateToken = (): boolean => {
    const rate = options.maxSendRate;
    if (rate === undefined) return true;
    const now = Date.now();
    // A bucket of one second's worth of sends, refilled continuously, like SES's per-second rate.
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const answer = (res: ServerResponse, status: number, xml: string, then?: () => void) => {
    const latency = typeof options.latencyMs === 'function' ? options.latencyMs() : options.latencyMs;
    const send = () => {
      if (then) {
        then();
        return;
      }
      res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
    };
    if (latency > 0) setTimeout(send, latency);
    else send();
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const params = new URLSearchParams(body);
    const action = params.get('Action');
    if (action === 'GetSendQuota') {
      const sent = counters.accepted;
      answer(
        res,
        200,
        `<GetSendQuotaResponse xmlns="${XMLNS}"><GetSendQuotaResult><SentLast24Hours>${sent}</SentLast24Hours>` +
          `<Max24HourSend>1000000</Max24HourSend><MaxSendRate>${options.maxSendRate ?? 1000}</MaxSendRate>` +
          `</GetSendQuotaResult>${metadata()}</GetSendQuotaResponse>`,
      );
      return;
    }
    if (action !== 'SendRawEmail') {
      answer(res, 400, errorXml('Sender', 'InvalidAction', `The action ${action ?? '(none)'} is not valid.`));
      return;
    }
    const data = params.get('RawMessage.Data');
    if (!data) {
      answer(res, 400, errorXml('Sender', 'InvalidParameterValue', 'RawMessage.Data is required.'));
      return;
    }
    if (!takeRateToken()) {
      counters.throttled += 1;
      answer(res, 400, errorXml('Sender', 'Throttling', 'Maximum sending rate exceeded.'));
      return;
    }
    const r = options.random();
    let edge = options.throttleRatio;
    if (r < edge) {
      counters.throttled += 1;
      answer(res, 400, errorXml('Sender', 'Throttling', 'Maximum sending rate exceeded.'));
      return;
    }
    edge += options.serverErrorRatio;
    if (r < edge) {
      counters.serverErrors += 1;
      answer(
        res,
        500,
        errorXml(
          'Receiver',
          'InternalFailure',
          'The request processing has failed because of an unknown error, exception or failure.',
        ),
      );
      return;
    }
    const raw = Buffer.from(data, 'base64');
    const to = listParam(params, 'Destinations.member.');
    const recipients = to.length > 0 ? to : headerRecipients(raw);
    const rejected = recipients.find((a) => options.rejectRecipients.has(a.toLowerCase()));
    if (rejected !== undefined) {
      counters.rejected += 1;
      answer(res, 400, errorXml('Sender', 'MessageRejected', `Email address is not verified: ${rejected}`));
      return;
    }
    const dropAt = edge + options.dropRatio;
    const hangAt = dropAt + options.hangRatio;
    const outcome: StandInMail['outcome'] = r < dropAt ? 'dropped' : r < hangAt ? 'hung' : 'answered';
    const messageId = `${randomBytes(8).toString('hex')}-${randomUUID()}-000000`;
    counters.accepted += 1;
    for (const address of recipients) {
      const key = address.toLowerCase();
      byRecipient.set(key, (byRecipient.get(key) ?? 0) + 1);
    }
    mails.push({
      messageId,
      to: recipients,
      source: params.get('Source') ?? undefined,
      tags: tagParams(params),
      configurationSet: params.get('ConfigurationSetName') ?? undefined,
      raw: keepRaw ? raw : Buffer.alloc(0),
      acceptedAt: Date.now(),
      outcome,
    });
    if (outcome === 'dropped') {
      counters.dropped += 1;
      answer(res, 0, '', () => req.socket.destroy());
      return;
    }
    if (outcome === 'hung') {
      counters.hung += 1;
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    answer(
      res,
      200,
      `<SendRawEmailResponse xmlns="${XMLNS}"><SendRawEmailResult><MessageId>${messageId}</MessageId>` +
        `</SendRawEmailResult>${metadata()}</SendRawEmailResponse>`,
    );
  };

  const server: Server = createServer((req, res) => {
    counters.calls += 1;
    counters.inFlight += 1;
    if (counters.inFlight > counters.maxConcurrency) counters.maxConcurrency = counters.inFlight;
    // Answered, dropped or abandoned by the client: 'close' comes once in every case.
    res.on('close', () => {
      counters.inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {}); // a client that went away: 'close' above does the accounting
    req.on('end', () => {
      if (req.method !== 'POST') {
        answer(res, 400, errorXml('Sender', 'InvalidAction', 'Only POST requests are accepted.'));
        return;
      }
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counters,
    sendsByRecipient: byRecipient,
    mails: () => [...mails],
    configure(next) {
      options = normalize({ ...options, rejectRecipients: options.rejectRecipients, ...next });
      bucket = { tokens: options.maxSendRate ?? 0, at: Date.now() };
    },
    reset() {
      Object.assign(counters, emptyCounters(), { inFlight: counters.inFlight });
      byRecipient.clear();
      mails = [];
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const res of hanging) res.socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

interface NormalizedOptions {
  latencyMs: number | (() => number);
  throttleRatio: number;
  serverErrorRatio: number;
  dropRatio: number;
  hangRatio: number;
  rejectRecipients: Set<string>;
  maxSendRate: number | undefined;
  random: () => number;
}

function normalize(o: SesStandInOptions): NormalizedOptions {
  const ratio = (name: string, v: number | undefined) => {
    const value = v ?? 0;
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within 0…1, got ${v}`);
    return value;
  };
  const n: NormalizedOptions = {
    latencyMs: o.latencyMs ?? 0,
    throttleRatio: ratio('throttleRatio', o.throttleRatio),
    serverErrorRatio: ratio('serverErrorRatio', o.serverErrorRatio),
    dropRatio: ratio('dropRatio', o.dropRatio),
    hangRatio: ratio('hangRatio', o.hangRatio),
    rejectRecipients: new Set([...(o.rejectRecipients ?? [])].map((a) => a.toLowerCase())),
    maxSendRate: o.maxSendRate,
    random: o.random ?? Math.random,
  };
  if (n.throttleRatio + n.serverErrorRatio + n.dropRatio + n.hangRatio > 1) {
    throw new RangeError('the fault ratios add up to more than 1');
  }
  if (n.maxSendRate !== undefined && !(n.maxSendRate > 0)) {
    throw new RangeError(`maxSendRate must be positive, got ${n.maxSendRate}`);
  }
  return n;
}

function emptyCounters(): StandInCounters {
  return {
    calls: 0,
    accepted: 0,
    throttled: 0,
    serverErrors: 0,
    dropped: 0,
    hung: 0,
    rejected: 0,
    inFlight: 0,
    maxConcurrency: 0,
  };
}

function metadata(): string {
  return `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;
}

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `Destinations.member.1`, `Destinations.member.2`, … in order. */
function listParam(params: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i += 1) {
    const value = params.get(`${prefix}${i}`);
    if (value === null) return out;
    out.push(value);
  }
}

function tagParams(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 1; ; i += 1) {
    const name = params.get(`Tags.member.${i}.Name`);
    if (name === null) return tags;
    tags[name] = params.get(`Tags.member.${i}.Value`) ?? '';
  }
}

/** Addresses in the To, Cc and Bcc headers of a raw message (what SES uses without Destinations). */
function headerRecipients(raw: Buffer): string[] {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, end < 0 ? raw.length : end)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  const out: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    const m = /^(to|cc|bcc):(.*)$/i.exec(line);
    if (!m) continue;
    for (const a of m[2]!.matchAll(/<([^<>\s]+@[^<>\s]+)>|([^\s<>,;"]+@[^\s<>,;"]+)/g))
      out.push(a[1] ?? a[2]!);
  }
  return out;
}
