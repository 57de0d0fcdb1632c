import type { Context, Hono } from 'hono';
import type { Subscriber } from '../../core/subscriber.js';
import { deleteSubscriber } from '../../core/subscriptions/delete-subscriber.js';
import { exportSubscriberData } from '../../core/subscriptions/export-subscriber-data.js';
import { resolveToken } from '../../core/subscriptions/resolve-token.js';
import { subscriberLink } from '../../core/subscriptions/subscriber-links.js';
import { updatePreferences } from '../../core/subscriptions/update-preferences.js';
import type { AppContext } from '../app-context.js';
import { badRequest, HttpProblemError } from '../http-problem.js';
import { deleteConfirmPage, deletedPage, preferencesPage } from '../pages/preferences-pages.js';
import { readFields, stringField } from '../read-fields.js';
import { tokenProblem } from '../token-problem.js';

/**
 * The preferences page and its three actions: save cadence and topics, download everything stored
 * (JSON attachment), and delete (a confirm step first; a JSON client sends `confirm: "yes"`).
 * There is no Origin or SameSite check: no answer of this app sets a cookie, so a cross-site form
 * has no ambient credential to ride on; the signed link is the only credential, and whoever holds
 * it can post from anywhere anyway.
 */
export function registerPreferencesRoutes(app: Hono, ctx: AppContext): void {
  const showPreferences = async (c: Context, subscriber: Subscriber, token: string, saved: boolean) => {
    const page = preferencesPage({
      publication: ctx.deps.publication,
      subscriber,
      token,
      cadences: ctx.cadences,
      topics: await ctx.topics(),
      unsubscribeUrl: subscriberLink(
        ctx.deps.signer,
        ctx.url(''),
        'unsubscribe',
        subscriber,
        ctx.deps.clock.now(),
      ),
      actions: {
        save: ctx.path('preferences'),
        exportData: ctx.path('preferences/export'),
        remove: ctx.path('preferences/delete'),
      },
      saved,
    });
    return ctx.page(c, { ...page, personal: true });
  };

  app.get('/preferences', async (c) => {
    const token = c.req.query('token');
    const resolved = await resolveToken(ctx.subscription, token, 'preferences');
    if (!resolved.ok) throw tokenProblem(resolved.reason);
    return showPreferences(c, resolved.subscriber, token ?? '', false);
  });

  app.post('/preferences', async (c) => {
    const { kind, fields } = await readFields(c, ['form', 'json']);
    const token = stringField(c, fields, 'token');
    const { token: _token, ...choices } = fields;
    const result = await updatePreferences(ctx.subscription, token, choices, {
      cadences: ctx.cadences,
      knownTopics: await ctx.topics(),
    });
    if (!result.ok) {
      if (result.reason === 'invalid') throw new HttpProblemError(400, result.problem);
      throw tokenProblem(result.reason);
    }
    if (kind === 'json') {
      c.header('Cache-Control', 'no-store');
      return c.json({ ok: true, cadence: result.subscriber.cadence, topics: result.subscriber.topics });
    }
    return showPreferences(c, result.subscriber, token ?? '', true);
  });

  app.post('/preferences/export', async (c) => {
    const { fields } = await readFields(c, ['form', 'json']);
    const result = await exportSubscriberData(ctx.subscription, stringField(c, fields, 'token'));
    if (!result.ok) throw tokenProblem(result.reason);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', 'attachment; filename="subscriber-data.json"');
    return c.body(`${JSON.stringify(result.data, null, 2)}\n`, 200, {
      'Content-Type': 'application/json; charset=utf-8',
    });
  });

  app.post('/preferences/delete', async (c) => {
    const { kind, fields } = await readFields(c, ['form', 'json']);
    const token = stringField(c, fields, 'token');
    const confirmed = stringField(c, fields, 'confirm') === 'yes';
    if (!confirmed) {
      // Check the link before asking, so a dead link says so now rather than after the second click.
      const resolved = await resolveToken(ctx.subscription, token, 'preferences');
      if (!resolved.ok) throw tokenProblem(resolved.reason);
      if (kind === 'json') throw badRequest('confirm', 'must be "yes" to delete the subscriber');
      const cancel = subscriberLink(
        ctx.deps.signer,
        ctx.url(''),
        'preferences',
        resolved.subscriber,
        ctx.deps.clock.now(),
      );
      return ctx.page(c, {
        ...deleteConfirmPage(ctx.path('preferences/delete'), token ?? '', cancel),
        personal: true,
      });
    }
    const result = await deleteSubscriber(ctx.subscription, token);
    if (!result.ok) throw tokenProblem(result.reason);
    if (kind === 'json') {
      c.header('Cache-Control', 'no-store');
      return c.json({ ok: true, deleted: true });
    }
    return ctx.page(c, { ...deletedPage(ctx.url('subscribe')), personal: true });
  });
}
