import type { Hono } from 'hono';
import { emailKeyOf } from '../../core/email-key.js';
import { parseSubscribeRequest } from '../../core/subscriptions/parse-subscribe-request.js';
import { subscribe } from '../../core/subscriptions/subscribe.js';
import {
  ConfirmationNotSentError,
  SubscriberConflictError,
} from '../../core/subscriptions/subscription-errors.js';
import type { AppContext } from '../app-context.js';
import { HttpProblemError } from '../http-problem.js';
import { limitRate } from '../limit-rate.js';
import { CHECK_INBOX_MESSAGE, checkInboxPage, subscribePage } from '../pages/subscribe-pages.js';
import { readFields } from '../read-fields.js';

/**
 * `GET /subscribe` (the form) and `POST /subscribe` (form-encoded from the page or the archive, or
 * JSON). Every accepted request gets the same answer, whatever the address's state: the same
 * status, headers and bytes, at the same pace (the pacer hides whether a mail went out), and the
 * same even when the confirmation mail failed or the record was busy (logged as errors instead),
 * since only some states are mailed or written. Rate limits count per client network (IPv6 by /64)
 * and per address, and fail closed (503) when the counters cannot be read.
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
    const { deps } = ctx;
    const ipHash = ctx.ipHash(c);
    const networkHash = ctx.networkHash(c);
    const what = 'subscribe requests';
    // Counted before anything else, so a flood of bad requests is limited too.
    await limitRate(
      deps.rateLimiter,
      `subscribe:ip:${networkHash || 'unknown'}`,
      ctx.limits.subscribePerIp,
      deps.clock.now(),
      what,
    );
    const { kind, fields } = await readFields(c, ['form', 'json']);
    const parsed = parseSubscribeRequest(fields, {
      cadences: ctx.cadences,
      defaultCadence: ctx.defaultCadence,
      knownTopics: await ctx.topics(),
      defaultForm: kind === 'json' ? 'api' : 'archive',
    });
    if (!parsed.ok) throw new HttpProblemError(400, parsed.problem);
    const request = parsed.value;
    await ctx.subscribePacer.pace(async () => {
      if (request.honeypot) {
        deps.logger.info('honeypot filled; request ignored', { form: request.form });
        return;
      }
      const emailKey = emailKeyOf(request.email);
      await limitRate(
        deps.rateLimiter,
        `subscribe:address:${emailKey}`,
        ctx.limits.subscribePerAddress,
        deps.clock.now(),
        what,
      );
      try {
        const result = await subscribe(ctx.subscription, {
          email: request.email,
          cadence: request.cadence,
          topics: request.topics,
          form: request.form,
          ipHash,
          userAgent: (c.req.header('user-agent') ?? '').slice(0, 256),
        });
        deps.logger.info('subscribe request', {
          action: result.action,
          mailed: result.mailed,
          form: request.form,
        });
      } catch (error) {
        if (error instanceof ConfirmationNotSentError) {
          deps.logger.error('confirmation mail not sent; answered as usual', {
            subscriberId: error.subscriberId,
            error: error.cause instanceof Error ? error.cause.name : typeof error.cause,
            cause: error.cause instanceof Error ? error.cause.message : undefined,
          });
        } else if (error instanceof SubscriberConflictError) {
          deps.logger.error('subscribe request gave up: the record kept changing; answered as usual', {
            emailKey: emailKey.slice(0, 12),
          });
        } else {
          throw error;
        }
      }
    });
    if (kind === 'json') {
      c.header('Cache-Control', 'no-store');
      return c.json({ ok: true, message: CHECK_INBOX_MESSAGE });
    }
    return ctx.page(c, { ...checkInboxPage(deps.publication), personal: true });
  });
}
