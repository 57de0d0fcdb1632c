import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { Cadence } from '../core/model.js';
import { availableCadences, defaultCadence } from '../core/subscriptions/available-cadences.js';
import { createConfirmationSender } from '../core/subscriptions/send-confirmation.js';
import type { SubscribeDeps } from '../core/subscriptions/subscribe.js';
import { type AnswerPacer, createAnswerPacer } from './answer-pacer.js';
import { clientAddress } from './client-address.js';
import { networkOf } from './client-network.js';
import { hashIp } from './hash-ip.js';
import { type PageOptions, respondPage } from './respond-page.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_RATE_LIMITS, type RateRule, type WebDeps } from './web-deps.js';

/** What the route modules share: the deps, the use cases' deps, and small helpers. */
export interface AppContext {
  deps: WebDeps;
  subscription: SubscribeDeps;
  cadences: Cadence[];
  defaultCadence: Cadence;
  limits: { subscribePerIp: RateRule; subscribePerAddress: RateRule };
  maxBodyBytes: number;
  /** Absolute URL of a path of this app (`subscribe`, `preferences?token=…`). */
  url(path: string): string;
  /** The same as a path, for form actions (same origin, so the CSP's form-action 'self' holds). */
  path(path: string): string;
  /** Hash of the client's IP address, as the consent record keeps it. */
  ipHash(c: Context): string;
  /** Hash of the client's network (the IPv4 address, or the IPv6 /64), as rate limits count it. */
  networkHash(c: Context): string;
  /** Paces POST /subscribe answers (see createAnswerPacer). */
  subscribePacer: AnswerPacer;
  topics(): Promise<readonly string[]>;
  page(c: Context, options: PageOptions): Promise<Response>;
}

export function createAppContext(deps: WebDeps): AppContext {
  const base = new URL(deps.baseUrl);
  if (!base.pathname.endsWith('/')) throw new Error(`web app: baseUrl must end with "/": ${deps.baseUrl}`);
  const url = (path: string) => new URL(path, base).toString();
  return {
    deps,
    subscription: {
      store: deps.store,
      suppressions: deps.suppressions,
      signer: deps.signer,
      clock: deps.clock,
      logger: deps.logger,
      baseUrl: base.toString(),
      newId: deps.newId ?? randomUUID,
      sendConfirmation: createConfirmationSender({
        publication: deps.publication,
        templates: deps.emailTemplates,
        mailer: deps.mailer,
        clock: deps.clock,
      }),
    },
    cadences: availableCadences(deps.publication),
    defaultCadence: defaultCadence(deps.publication),
    limits: {
      subscribePerIp: deps.rateLimits?.subscribePerIp ?? DEFAULT_RATE_LIMITS.subscribePerIp,
      subscribePerAddress: deps.rateLimits?.subscribePerAddress ?? DEFAULT_RATE_LIMITS.subscribePerAddress,
    },
    maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    url,
    path: (path: string) => {
      const u = new URL(path, base);
      return `${u.pathname}${u.search}`;
    },
    ipHash: (c) => hashIp(clientAddress(c, { originVerify: deps.originVerify }), deps.ipHashKey),
    networkHash: (c) =>
      hashIp(networkOf(clientAddress(c, { originVerify: deps.originVerify })), deps.ipHashKey),
    subscribePacer: createAnswerPacer(deps.subscribePacing),
    topics: async () => [...(await deps.topics())],
    page: (c, options) => respondPage(c, deps, options),
  };
}
