import type { Hono } from 'hono';
import { confirmSubscription } from '../../core/subscriptions/confirm.js';
import { resolveToken } from '../../core/subscriptions/resolve-token.js';
import { subscriberLink } from '../../core/subscriptions/subscriber-links.js';
import type { AppContext } from '../app-context.js';
import { confirmedPage, confirmPage } from '../pages/confirm-pages.js';
import { readFields, stringField } from '../read-fields.js';
import { tokenProblem } from '../token-problem.js';

/**
 * `GET /confirm?token=` shows a button and changes nothing (mail scanners follow links);
 * `POST /confirm` (token in the body or the query) activates.
 */
export function registerConfirmRoutes(app: Hono, ctx: AppContext): void {
  app.get('/confirm', async (c) => {
    const token = c.req.query('token');
    const resolved = await resolveToken(ctx.subscription, token, 'confirm');
    if (!resolved.ok) throw tokenProblem(resolved.reason);
    const page = confirmPage(ctx.path('confirm'), token ?? '', ctx.deps.publication.title);
    return ctx.page(c, { ...page, personal: true });
  });

  app.post('/confirm', async (c) => {
    const { kind, fields } = await readFields(c, ['form', 'json']);
    const result = await confirmSubscription(ctx.subscription, stringField(c, fields, 'token'));
    if (!result.ok) throw tokenProblem(result.reason);
    const already = result.status === 'already-confirmed';
    if (kind === 'json') {
      c.header('Cache-Control', 'no-store');
      return c.json({ ok: true, status: result.status });
    }
    const preferencesUrl = subscriberLink(
      ctx.deps.signer,
      ctx.url(''),
      'preferences',
      { emailKey: result.emailKey, id: result.subscriberId },
      ctx.deps.clock.now(),
    );
    return ctx.page(c, {
      ...confirmedPage(already, preferencesUrl, ctx.deps.publication.title),
      personal: true,
    });
  });
}
