/**
 * The local stack behind `npm start` / `gazette dev`: the embedded AWS emulators, the same
 * adapters and web app that run on AWS, the site published into the local bucket, and the
 * content folder watched for changes. A composition root: it wires, it decides nothing.
 */
import { type FSWatcher, watch } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import {
  createDynamoDbClient,
  createDynamoDocumentClient,
  createS3Client,
  DEFAULT_CLIENT_TUNING,
} from '../../adapters/aws/clients.js';
import { DynamoSubscriberDirectory } from '../../adapters/aws/dynamo-subscriber-directory.js';
import { tableNames } from '../../adapters/aws/tables.js';
import { publishWithPostEditions } from '../../adapters/compose/publish-with-post-editions.js';
import { createAwsSubscriberPorts } from '../../adapters/config/create-aws-ports.js';
import type { RuntimeConfig } from '../../adapters/config/read-runtime-config.js';
import { HmacTokenSigner } from '../../adapters/crypto/hmac-token-signer.js';
import { loadOrCreateSecret } from '../../adapters/crypto/secret-file.js';
import { readContentDir } from '../../adapters/fs/read-content-dir.js';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import { bootstrapLocalAws, startEmulators } from '../../adapters/local/emulators.js';
import { LocalOutbox } from '../../adapters/local/local-outbox.js';
import { RecordingMailer } from '../../adapters/local/recording-mailer.js';
import { ContentError } from '../../core/errors.js';
import type { Clock, Logger } from '../../core/ports.js';
import { type BuiltPublication, buildPublication } from '../../core/publish/build-publication.js';
import { readPublicationRecord, withPublicationTimes } from '../../core/publish/publication-record.js';
import type { PublishReport } from '../../core/publish/publish-site.js';
import { publishedTopics } from '../../core/subscriptions/published-topics.js';
import { createApp } from '../../web/create-app.js';
import { type LocalDelivery, startLocalDelivery } from './start-local-delivery.js';

export interface LocalStackOptions {
  /** Project folder holding content/ and templates/. */
  root: string;
  /** Where state persists (tables, buckets, outbox, secret): `.gazette/` by default. */
  stateDir: string;
  port: number;
  /** Start from empty state. */
  fresh: boolean;
  /** Rebuild when content/ or templates/ change. */
  watch: boolean;
  clock: Clock;
  log: (line: string) => void;
}

export interface LocalStack {
  baseUrl: string;
  endpoints: { dynamodb: string; s3: string; ses: string };
  outbox: LocalOutbox;
  /** Bearer token of the editor API and console, kept in the state folder. */
  editorToken: string;
  /** The delivery engine: editions, the in-process send queue, the schedules. */
  delivery: LocalDelivery;
  /** Rebuilds and republishes the site now. */
  republish(): Promise<PublishReport | undefined>;
  stop(): Promise<void>;
}

/** The web port is taken. */
export class WebPortInUseError extends Error {
  override readonly name = 'WebPortInUseError';
  constructor(readonly port: number) {
    super(
      `port ${port} on 127.0.0.1 is in use: stop the other process or run with PORT=<free port> (or --port)`,
    );
  }
}

/** Written in the state folder while the stack runs: `{ url, editorToken, pid }`. */
export const LOCAL_RUNTIME_FILE = 'local.json';

const TABLE_PREFIX = 'gazette-local-';
const SITE_BUCKET = 'gazette-local-site';
const REGION = 'us-east-1';

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { log, clock } = options;
  await assertPortFree(options.port);
  if (options.fresh) await rm(options.stateDir, { recursive: true, force: true });

  const baseUrl = `http://127.0.0.1:${options.port}/`;
  const emulators = await startEmulators({
    stateDir: join(options.stateDir, 'aws'),
    ports: { dynamodb: 0, s3: 0, ses: 0 },
  });
  const stops: Array<() => Promise<void> | void> = [() => emulators.stop()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };

  try {
    const clients = { ...DEFAULT_CLIENT_TUNING, region: REGION, endpoints: emulators.endpoints };
    await bootstrapLocalAws({
      dynamodb: createDynamoDbClient(clients),
      s3: createS3Client(clients),
      tablePrefix: TABLE_PREFIX,
      buckets: [SITE_BUCKET],
    });
    const secret = await loadOrCreateSecret(join(options.stateDir, 'secret'));
    const editorToken = await loadOrCreateSecret(join(options.stateDir, 'editor-token'));
    const config: RuntimeConfig = {
      region: REGION,
      tablePrefix: TABLE_PREFIX,
      siteBucket: SITE_BUCKET,
      publicUrl: baseUrl,
      secretArn: 'local:secret',
      endpoints: emulators.endpoints,
    };
    const ports = createAwsSubscriberPorts(config);
    const outbox = new LocalOutbox(join(options.stateDir, 'outbox'));
    const mailer = new RecordingMailer(ports.mailer, outbox, clock);
    const logger = consoleLogger(log);

    let built: BuiltPublication | undefined;
    let templates = await readTemplates(join(options.root, 'templates'));
    let delivery: LocalDelivery | undefined;
    /** Rebuilds from content/ and templates/, writes what changed, mails newly published posts. */
    const republish = async (): Promise<PublishReport | undefined> => {
      const [files, nextTemplates] = await Promise.all([
        readContentDir(join(options.root, 'content')),
        readTemplates(join(options.root, 'templates')),
      ]);
      const now = clock.now();
      try {
        const next = await buildPublication({
          files,
          templates: nextTemplates.site,
          now,
          publicUrl: baseUrl,
        });
        built = next;
        templates = nextTemplates;
        const result = await publishWithPostEditions({
          objects: ports.site,
          built: next,
          now,
          createPostEditions: (request) =>
            delivery ? delivery.services.createPostEditions(request) : Promise.resolve([]),
          logger,
        });
        for (const { slug, result: outcome } of result.editions) {
          log(
            `post edition for ${slug}: ${outcome.ok ? (outcome.created ? 'created and sending' : 'exists') : outcome.reason}`,
          );
        }
        return result.report;
      } catch (error) {
        if (!(error instanceof ContentError)) throw error;
        log(
          `content has ${error.problems.length} problem(s); the site keeps its last good version:\n${error.message}`,
        );
        return undefined;
      }
    };

    const first = await republish();
    if (!built || !first) throw new Error('the content must be valid to start: fix the problems above');
    const current = () => built as BuiltPublication;
    const signer = new HmacTokenSigner({ id: 'local', secret });

    delivery = await startLocalDelivery({
      config,
      publication: () => current().publication,
      loadPosts: async () => withPublicationTimes(current().posts, await readPublicationRecord(ports.site)),
      emailTemplates: async () => templates.email,
      mailer,
      signer,
      clock,
      logger,
      publishDue: () => republish(),
    });
    const localDelivery = delivery;
    stops.push(() => localDelivery.stop());

    const app = createApp({
      publication: current().publication,
      baseUrl,
      store: ports.store,
      suppressions: ports.suppressions,
      rateLimiter: ports.rateLimiter,
      signer,
      mailer,
      clock,
      logger,
      siteTemplates: templates.site,
      emailTemplates: templates.email,
      topics: () => publishedTopics(current().allPosts, clock.now()),
      ipHashKey: secret,
      local: { outbox, site: ports.site },
      editor: { auth: { kind: 'bearer', token: editorToken }, services: delivery.services },
      console: {
        posts: () => current().allPosts,
        directory: new DynamoSubscriberDirectory(
          createDynamoDocumentClient({
            ...DEFAULT_CLIENT_TUNING,
            region: REGION,
            endpoints: emulators.endpoints,
          }),
          tableNames(TABLE_PREFIX).subscribers,
        ),
        sessionSecret: secret,
      },
    });
    const server = await listen(app.fetch, options.port);
    stops.push(() => closeServer(server));

    // Tells `gazette send|editions|subscribers …` where the running stack is and how to sign in.
    const runtimeFile = join(options.stateDir, LOCAL_RUNTIME_FILE);
    await writeFile(
      runtimeFile,
      `${JSON.stringify({ url: baseUrl, editorToken, pid: process.pid }, null, 2)}\n`,
      {
        mode: 0o600,
      },
    );
    stops.push(() => rm(runtimeFile, { force: true }));

    if (options.watch) {
      const watcher = watchFolders(
        [join(options.root, 'content'), join(options.root, 'templates')],
        async () => {
          const report = await republish().catch((error: unknown) => {
            log(`rebuild failed: ${(error as Error).message}`);
            return undefined;
          });
          if (report && (report.written.length > 0 || report.deleted.length > 0)) {
            log(`republished: ${report.written.length} written, ${report.deleted.length} removed`);
          }
        },
      );
      stops.push(() => watcher.close());
    }

    return {
      baseUrl,
      endpoints: emulators.endpoints,
      outbox,
      editorToken,
      delivery,
      republish,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}

function consoleLogger(log: (line: string) => void): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    log(
      `[${level}] ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`,
    );
  return {
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}

async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new WebPortInUseError(port) : error),
    );
    probe.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(server as Server)) as Server;
    // A client that announces a body and never sends it must not hold a socket for minutes.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new WebPortInUseError(port) : error),
    );
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Calls `onChange` once per burst of changes (editors save in several steps). */
function watchFolders(dirs: string[], onChange: () => Promise<void>): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const trigger = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(onChange);
    }, 150);
  };
  const watchers: FSWatcher[] = dirs.map((dir) => watch(dir, { recursive: true }, trigger));
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
