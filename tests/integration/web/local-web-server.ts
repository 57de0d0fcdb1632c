/** The web app on the real emulators, served over HTTP on a free loopback port, with a local outbox. */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { HmacTokenSigner } from '../../../adapters/crypto/hmac-token-signer.js';
import { LocalOutbox } from '../../../adapters/local/local-outbox.js';
import { RecordingMailer } from '../../../adapters/local/recording-mailer.js';
import { createApp } from '../../../web/create-app.js';
import type { WebDeps } from '../../../web/web-deps.js';
import type { LocalAws } from '../../support/emulators.js';
import { emailTemplates, publicationAt, siteTemplates } from '../../support/fixtures.js';
import { ManualClock, MemoryLogger, TEST_SECRET } from '../../support/memory-adapters.js';

export interface LocalWebServer {
  baseUrl: string;
  clock: ManualClock;
  outbox: LocalOutbox;
  logger: MemoryLogger;
  signer: HmacTokenSigner;
  close(): Promise<void>;
}

export async function startLocalWebServer(
  aws: LocalAws,
  overrides: Partial<Pick<WebDeps, 'rateLimits' | 'rateLimiter' | 'subscribePacing'>> = {},
): Promise<LocalWebServer> {
  const outboxDir = await mkdtemp(join(tmpdir(), 'gazette-outbox-'));
  const outbox = new LocalOutbox(outboxDir);
  const clock = new ManualClock(new Date());
  const logger = new MemoryLogger();
  const signer = new HmacTokenSigner({ id: 'test', secret: TEST_SECRET });
  let baseUrl = '';
  const deps = (): WebDeps => ({
    publication: publicationAt(baseUrl),
    baseUrl,
    store: aws.subscribers,
    suppressions: aws.suppressions,
    rateLimiter: overrides.rateLimiter ?? aws.rateLimiter,
    signer,
    mailer: new RecordingMailer(aws.mailer, outbox, clock),
    clock,
    logger,
    siteTemplates,
    emailTemplates,
    topics: () => ['europe', 'security', 'trade'],
    ipHashKey: 'integration',
    rateLimits: overrides.rateLimits ?? {
      subscribePerIp: { limit: 1000, windowSeconds: 600 },
      subscribePerAddress: { limit: 1000, windowSeconds: 3600 },
    },
    local: { outbox, site: aws.objects },
    // Real waiting, with a short floor so that the suite stays quick.
    subscribePacing: overrides.subscribePacing ?? { floorMs: 20 },
  });
  let app: ReturnType<typeof createApp> | undefined;
  const server = serve({ fetch: (req, env) => app!.fetch(req, env), hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  app = createApp(deps());
  return {
    baseUrl,
    clock,
    outbox,
    logger,
    signer,
    async close() {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await rm(outboxDir, { recursive: true, force: true });
    },
  };
}

/** A form-encoded POST. */
export function postForm(url: string, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
}
