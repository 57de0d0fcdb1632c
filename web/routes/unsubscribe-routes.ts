import type { Hono } from 'hono';
import { resolveToken } from '../../core/subscriptions/resolve-token.js';
import { unsubscribe } from '../../core/subscriptions/unsubscribe.js';
import type { AppContext } from '../app-context.js';
import { unsubscribedPage, unsubscribePage } from '../pages/unsubscribe-pages.js';
import { readFields, stringField, wantsJson } from '../read-fields.js';
import { tokenProblem } from '../token-problem.js';

/**
 * `GET /unsubscribe?token=` shows a button and never unsubscribes by itself.
 * `POST /unsubscribe?token=` unsubscribes at once: with the body `List-Unsubscribe=One-Click`
 * (RFC 8058, form-encoded or multipart, sent by mail providers) it answers 200 with a short text and
 * no redirect; from the page's button (token in the body) it shows a page with a way back.
 * There is no CSRF token: the signed link is the credential, and a one-click POST comes from the
 * provider's servers, without cookies or an Origin of ours.
 */
export function registerUnsubscribeRoutes(app: Hono, ctx: AppContext): void {
  app.get('/unsubscribe', async (c) => {
    const token = c.req.query('token');
    const resolved = await resolveToken(ctx.subscription, token, 'unsubscribe');
    if (!resolved.ok) throw tokenProblem(resolved.reason);
    const already =
      resolved.subscriber.status === 'unsubscribed' || resolved.subscriber.status === 'suppressed';
    const page = unsubscribePage(
      ctx.path('unsubscribe'),
      token ?? '',
      ctx.deps.publication.title,
      already,
      ctx.url('subscribe'),
    );
    return ctx.page(c, { ...page, personal: true });
  });

  app.post('/unsubscribe', async (c) => {
    const { kind, fields } = await readFields(c, ['form', 'json']);
    const oneClick = fields['List-Unsubscribe'] === 'One-Click';
    const result = await unsubscribe(ctx.subscription, stringField(c, fields, 'token'));
    if (!result.ok) throw tokenProblem(result.reason);
    c.header('Cache-Control', 'no-store');
    if (kind === 'json' || wantsJson(c)) return c.json({ ok: true, status: result.status });
    if (oneClick) return c.text('You are unsubscribed.', 200);
    return ctx.page(c, {
      ...unsubscribedPage(ctx.url('subscribe'), result.status === 'already-unsubscribed'),
      personal: true,
    });
  });
}
