import type { Hono } from 'hono';
import { emailKeyOf } from '../../core/email-key.js';
import { parseSubscribeRequest } from '../../core/subscriptions/parse-subscribe-request.js';
import { subscribe } from '../../core/subscriptions/subscribe.js';
import type { AppContext } from '../app-context.js';
import { HttpProblemError } from '../http-problem.js';
import { CHECK_INBOX_MESSAGE, checkInboxPage, subscribePage } from '../pages/subscribe-pages.js';
import { readFields } from '../read-fields.js';
import type { RateRule } from '../web-deps.js';

/**
 * `GET /subscribe` (the form) and `POST /subscribe` (form-encoded from the page or the archive, or
 * JSON). Every accepted request gets the same answer, whatever the address's state.
 */
export function registerSubscribeRoutes(app: Hono, ctx: AppContext): void {
  app.get('/subscribe', async (c) => {
    const page = subscribePage({
      publication: ctx.deps.publication,
      action: ctx.path('subscribe'),
      cadences: ctx.cadences,
      defaultCadence: ctx.defaultCadence,
      topics: await ctx.topics(),
    });
    return ctx.page(c, {
      ...page,
      canonicalUrl: ctx.url('subscribe'),
      description: ctx.deps.publication.description,
    });
  });

  app.post('/subscribe', async (c) => {
    const ipHash = ctx.ipHash(c);
    // Counted before anything else, so a flood of bad requests is limited too.
    await limit(ctx, `subscribe:ip:${ipHash || 'unknown'}`, ctx.limits.subscribePerIp);
    const { kind, fields } = await readFields(c, ['form', 'json']);
    const parsed = parseSubscribeRequest(fields, {
      cadences: ctx.cadences,
      defaultCadence: ctx.defaultCadence,
      knownTopics: await ctx.topics(),
      defaultForm: kind === 'json' ? 'api' : 'archive',
    });
    if (!parsed.ok) throw new HttpProblemError(400, parsed.problem);
    const request = parsed.value;
    if (request.honeypot) {
      ctx.deps.logger.info('honeypot filled; request ignored', { form: request.form });
    } else {
      await limit(ctx, `subscribe:address:${emailKeyOf(request.email)}`, ctx.limits.subscribePerAddress);
      const result = await subscribe(ctx.subscription, {
        email: request.email,
        cadence: request.cadence,
        topics: request.topics,
        form: request.form,
        ipHash,
        userAgent: (c.req.header('user-agent') ?? '').slice(0, 256),
      });
      ctx.deps.logger.info('subscribe request', {
        action: result.action,
        mailed: result.mailed,
        form: request.form,
      });
    }
    if (kind === 'json') {
      c.header('Cache-Control', 'no-store');
      return c.json({ ok: true, message: CHECK_INBOX_MESSAGE });
    }
    return ctx.page(c, { ...checkInboxPage(ctx.deps.publication), personal: true });
  });
}

async function limit(ctx: AppContext, key: string, rule: RateRule): Promise<void> {
  const decision = await ctx.deps.rateLimiter.hit(key, rule.limit, rule.windowSeconds, ctx.deps.clock.now());
  if (decision.allowed) return;
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterSeconds));
  throw new HttpProblemError(
    429,
    { field: 'rate', message: `too many subscribe requests; try again in ${retryAfter} seconds` },
    { 'Retry-After': String(retryAfter) },
  );
}
