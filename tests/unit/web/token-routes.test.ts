import { describe, expect, it } from 'vitest';
import { HmacTokenSigner } from '../../../adapters/crypto/hmac-token-signer.js';
import type { TokenPurpose } from '../../../core/ports.js';
import { subscriberLink } from '../../../core/subscriptions/subscriber-links.js';
import { confirmPath, createTestApp, form, json } from '../../support/web-test-app.js';

type TestApp = ReturnType<typeof createTestApp>;

async function subscribed(confirm = true) {
  const t = createTestApp();
  await t.app.request(
    '/subscribe',
    form({ email: 'ann@example.com', cadence: 'weekly', topics: ['europe'] }),
  );
  const path = await confirmPath(t.mailer);
  const confirmToken = new URLSearchParams(path.split('?')[1]).get('token')!;
  if (confirm) await t.app.request('/confirm', form({ token: confirmToken }));
  const tokenFor = (purpose: TokenPurpose) => {
    const url = subscriberLink(t.deps.signer, t.deps.baseUrl, purpose, t.store.all()[0]!, t.clock.now());
    return new URL(url).searchParams.get('token')!;
  };
  return { ...t, confirmToken, tokenFor };
}

async function snapshot(t: TestApp) {
  return { records: t.store.all(), suppressions: await t.suppressions.list(), sent: t.mailer.sent.length };
}

function alertText(page: string): string {
  return (/<p role="alert">([^<]*)<\/p>/.exec(page)?.[1] ?? '').replace(/&quot;/g, '"');
}

describe('confirm', () => {
  it('GET shows a button that posts the token and never activates', async () => {
    const t = await subscribed(false);
    const before = await snapshot(t);
    const res = await t.app.request(`/confirm?token=${t.confirmToken}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/confirm">');
    expect(page).toContain(`<input type="hidden" name="token" value="${t.confirmToken}">`);
    expect(page).toContain('<button type="submit">');
    expect(page).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await snapshot(t)).toEqual(before);
    expect(t.store.all()[0]?.status).toBe('pending');
  });

  it('POST activates, links to preferences, and a second POST is harmless', async () => {
    const t = await subscribed(false);
    const res = await t.app.request('/confirm', form({ token: t.confirmToken }));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('You are subscribed');
    expect(page).toMatch(/href="http:\/\/127\.0\.0\.1:3999\/preferences\?token=[^"]+"/);
    expect(t.store.all()[0]?.status).toBe('active');
    const again = await t.app.request('/confirm', json({ token: t.confirmToken }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, status: 'already-confirmed' });
  });

  it('takes the token from the query string of a POST too', async () => {
    const t = await subscribed(false);
    const res = await t.app.request(`/confirm?token=${t.confirmToken}`, form({}));
    expect(res.status).toBe(200);
    expect(t.store.all()[0]?.status).toBe('active');
  });
});

describe('bad tokens', () => {
  const forger = new HmacTokenSigner({
    id: 'test',
    secret: 'Zm9yZ2VkLWZvcmdlZC1mb3JnZWQtZm9yZ2VkLWZvcmdlZA',
  });
  const cases: Array<
    [string, (t: Awaited<ReturnType<typeof subscribed>>) => string | undefined, number, RegExp]
  > = [
    ['missing', () => undefined, 400, /^token: missing/],
    ['malformed', () => 'abc', 400, /^token: malformed/],
    [
      'forged (another key)',
      (t) =>
        forger.sign({
          purpose: 'confirm',
          emailKey: t.store.all()[0]!.emailKey,
          subscriberId: t.store.all()[0]!.id,
        }),
      403,
      /^token: invalid signature/,
    ],
    [
      'tampered',
      (t) => {
        const [payload, mac] = t.confirmToken.split('.') as [string, string];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        claims.s = 'someone-else';
        return `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
      },
      403,
      /^token: invalid signature/,
    ],
    ['wrong purpose', (t) => t.tokenFor('unsubscribe'), 403, /^token: not valid for this page/],
  ];

  it.each(cases)(
    'confirm refuses a %s token, GET and POST, HTML and JSON, changing nothing',
    async (_n, make, status, message) => {
      const t = await subscribed(false);
      const token = make(t);
      const before = await snapshot(t);
      const get = await t.app.request(
        token === undefined ? '/confirm' : `/confirm?token=${encodeURIComponent(token)}`,
      );
      expect(get.status).toBe(status);
      expect(alertText(await get.text())).toMatch(message);
      const post = await t.app.request('/confirm', json(token === undefined ? {} : { token }));
      expect(post.status).toBe(status);
      expect(((await post.json()) as { error: string }).error).toMatch(message);
      expect(await snapshot(t)).toEqual(before);
    },
  );

  it('confirm refuses an expired token', async () => {
    const t = await subscribed(false);
    t.clock.advance(7 * 86_400_000 + 1000);
    const res = await t.app.request('/confirm', form({ token: t.confirmToken }));
    expect(res.status).toBe(400);
    expect(alertText(await res.text())).toMatch(/^token: expired/);
    expect(t.store.all()[0]?.status).toBe('pending');
  });

  it.each(cases.filter(([name]) => name !== 'wrong purpose'))(
    'unsubscribe and preferences refuse a %s token',
    async (_n, make, status, message) => {
      const t = await subscribed();
      const token = make(t);
      const before = await snapshot(t);
      const q = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
      for (const [path, init] of [
        [`/unsubscribe${q}`, form({ 'List-Unsubscribe': 'One-Click' })],
        [`/preferences${q}`, form({ cadence: 'daily' })],
        [`/preferences/export${q}`, form({})],
        [`/preferences/delete${q}`, form({ confirm: 'yes' })],
      ] as const) {
        const res = await t.app.request(path, init);
        expect(res.status, path).toBe(status);
        expect(alertText(await res.text()), path).toMatch(message);
      }
      expect(await snapshot(t)).toEqual(before);
    },
  );

  it('a link for a deleted record answers 410 Gone', async () => {
    const t = await subscribed();
    const prefs = t.tokenFor('preferences');
    const unsub = t.tokenFor('unsubscribe');
    expect((await t.app.request('/preferences/delete', form({ token: prefs, confirm: 'yes' }))).status).toBe(
      200,
    );
    const res = await t.app.request(`/unsubscribe?token=${unsub}`, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(res.status).toBe(410);
    expect(alertText(await res.text())).toMatch(/^token: no longer valid/);
  });
});

describe('unsubscribe', () => {
  it('GET shows a button and never unsubscribes', async () => {
    const t = await subscribed();
    const token = t.tokenFor('unsubscribe');
    const before = await snapshot(t);
    const res = await t.app.request(`/unsubscribe?token=${token}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/unsubscribe">');
    expect(page).toContain(`value="${token}"`);
    expect(await snapshot(t)).toEqual(before);
    expect(t.store.all()[0]?.status).toBe('active');
  });

  it('one-click POST with a form-encoded body unsubscribes at once and answers 200, no redirect', async () => {
    const t = await subscribed();
    const res = await t.app.request(
      `/unsubscribe?token=${t.tokenFor('unsubscribe')}`,
      form({ 'List-Unsubscribe': 'One-Click' }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toBe('You are unsubscribed.');
    expect(t.store.all()[0]).toMatchObject({
      status: 'unsubscribed',
      unsubscribedAt: t.clock.now().toISOString(),
    });
  });

  it('one-click POST with a multipart body (RFC 8058) unsubscribes too', async () => {
    const t = await subscribed();
    const body = new FormData();
    body.append('List-Unsubscribe', 'One-Click');
    const res = await t.app.request(`/unsubscribe?token=${t.tokenFor('unsubscribe')}`, {
      method: 'POST',
      body,
    });
    expect(res.status).toBe(200);
    expect(t.store.all()[0]?.status).toBe('unsubscribed');
  });

  it('the page button unsubscribes and offers to subscribe again; repeating is harmless', async () => {
    const t = await subscribed();
    const token = t.tokenFor('unsubscribe');
    const res = await t.app.request('/unsubscribe', form({ token }));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('You are unsubscribed');
    expect(page).toContain('href="http://127.0.0.1:3999/subscribe"');
    expect(t.store.all()[0]?.status).toBe('unsubscribed');
    const again = await t.app.request('/unsubscribe', json({ token }));
    expect(await again.json()).toEqual({ ok: true, status: 'already-unsubscribed' });
    const get = await t.app.request(`/unsubscribe?token=${token}`);
    expect(await get.text()).toContain('already unsubscribed');
  });
});

describe('preferences', () => {
  it('GET shows the choices, export and delete, and changes nothing', async () => {
    const t = await subscribed();
    const token = t.tokenFor('preferences');
    const before = await snapshot(t);
    const res = await t.app.request(`/preferences?token=${token}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('ann@example.com');
    expect(page).toMatch(/value="weekly" checked/);
    expect(page).toMatch(/value="europe" checked/);
    expect(page).not.toMatch(/value="trade" checked/);
    expect(page).toContain('action="/preferences/export"');
    expect(page).toContain('action="/preferences/delete"');
    expect(page).toMatch(/href="http:\/\/127\.0\.0\.1:3999\/unsubscribe\?token=/);
    expect(await snapshot(t)).toEqual(before);
  });

  it('POST saves cadence and topics (form and JSON)', async () => {
    const t = await subscribed();
    const token = t.tokenFor('preferences');
    const res = await t.app.request(
      '/preferences',
      form({ token, cadence: 'daily', topics: ['trade', 'security'] }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Saved.');
    expect(t.store.all()[0]).toMatchObject({
      cadence: 'daily',
      topics: ['trade', 'security'],
      status: 'active',
    });
    const api = await t.app.request('/preferences', json({ token, cadence: 'immediate', topics: [] }));
    expect(await api.json()).toEqual({ ok: true, cadence: 'immediate', topics: [] });
  });

  it.each([
    [{ cadence: 'hourly' }, /^cadence: unknown cadence "hourly"/],
    [{ cadence: 'daily', topics: ['cooking'] }, /^topics: unknown topic "cooking"/],
    [{}, /^cadence: is required/],
    [{ cadence: 'daily\r\nX: y' }, /^cadence: must not contain line breaks/],
  ])('POST refuses %j with a 400 naming the field', async (fields, message) => {
    const t = await subscribed();
    const before = await snapshot(t);
    const res = await t.app.request('/preferences', json({ token: t.tokenFor('preferences'), ...fields }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
    expect(await snapshot(t)).toEqual(before);
  });

  it('export downloads everything stored as a JSON attachment', async () => {
    const t = await subscribed();
    const res = await t.app.request('/preferences/export', form({ token: t.tokenFor('preferences') }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="subscriber-data.json"');
    const data = (await res.json()) as { subscriber: unknown; suppression: unknown };
    expect(data.subscriber).toEqual(t.store.all()[0]);
    expect(data.suppression).toBeNull();
  });

  it('delete asks first, then erases the record and keeps only a suppression hash', async () => {
    const t = await subscribed();
    const token = t.tokenFor('preferences');
    const ask = await t.app.request('/preferences/delete', form({ token }));
    expect(ask.status).toBe(200);
    const page = await ask.text();
    expect(page).toContain('<input type="hidden" name="confirm" value="yes">');
    expect(t.store.all()).toHaveLength(1);
    const json400 = await t.app.request('/preferences/delete', json({ token }));
    expect(json400.status).toBe(400);
    expect(((await json400.json()) as { error: string }).error).toMatch(/^confirm: must be "yes"/);
    const done = await t.app.request('/preferences/delete', form({ token, confirm: 'yes' }));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your data is deleted');
    expect(t.store.all()).toEqual([]);
    const suppressions = await t.suppressions.list();
    expect(suppressions.map((s) => s.reason)).toEqual(['deleted']);
    expect(JSON.stringify(suppressions)).not.toContain('ann@');
  });

  it('escapes a stored address with markup on the page', async () => {
    const t = await subscribed();
    const record = t.store.all()[0]!;
    t.store.seed({ ...record, email: '<b>x</b>@example.com', topics: ['<i>t</i>'] });
    const page = await (await t.app.request(`/preferences?token=${t.tokenFor('preferences')}`)).text();
    expect(page).toContain('&lt;b&gt;x&lt;/b&gt;@example.com');
    expect(page).not.toContain('<b>x</b>');
    expect(page).not.toContain('<i>t</i>');
  });
});

describe('GET never changes state', () => {
  it('on any page, with any token', async () => {
    const t = await subscribed(false);
    const before = await snapshot(t);
    for (const path of [
      `/confirm?token=${t.confirmToken}`,
      `/unsubscribe?token=${t.tokenFor('unsubscribe')}`,
      `/preferences?token=${t.tokenFor('preferences')}`,
      `/preferences/delete?token=${t.tokenFor('preferences')}&confirm=yes`,
      `/preferences/export?token=${t.tokenFor('preferences')}`,
      '/subscribe?email=x@example.com',
    ]) {
      await t.app.request(path);
      await t.app.request(path, { method: 'HEAD' });
    }
    expect(await snapshot(t)).toEqual(before);
  });
});
