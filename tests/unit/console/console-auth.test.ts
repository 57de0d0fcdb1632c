import { describe, expect, it } from 'vitest';
import { createConsoleTestApp, EDITOR_TOKEN, formPost, ORIGIN, signIn } from './console-test-app.js';

const PAGES = [
  '/editor/console',
  '/editor/console/posts',
  '/editor/console/subscribers',
  '/editor/console/subscribers?q=reader',
  '/editor/console/subscribers/export.csv',
  '/editor/console/editions/preview?cadence=weekly',
  '/editor/console/editions/preview.html?cadence=weekly',
];

describe('console sign-in', () => {
  it('answers every page without a session with the sign-in page, and leaks nothing', async () => {
    const t = createConsoleTestApp();
    t.addSubscriber({ email: 'secret-reader@example.org' });
    for (const path of PAGES) {
      const res = await t.app.request(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(401);
      const text = await res.text();
      expect(text).toContain('Sign in with the console link');
      expect(text).not.toContain('secret-reader');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('turns the token link into an HttpOnly, SameSite=Strict session and drops the token from the URL', async () => {
    const t = createConsoleTestApp();
    const res = await t.app.request(`${ORIGIN}/editor?token=${EDITOR_TOKEN}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/editor/console');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gazette_console=v1\./);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/editor/);
    expect(cookie).not.toContain(EDITOR_TOKEN);
    // Plain http locally: a Secure cookie would never come back.
    expect(cookie).not.toMatch(/Secure/);

    const deep = await t.app.request(`${ORIGIN}/editor/console/posts?token=${EDITOR_TOKEN}`);
    expect(deep.status).toBe(303);
    expect(deep.headers.get('location')).toBe('/editor/console/posts');

    const { cookie: session } = await signIn(t);
    const page = await t.app.request(`${ORIGIN}/editor/console`, { headers: { cookie: session } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Editions</h1>');
  });

  it('refuses a wrong token, a forged or tampered cookie, and an expired session', async () => {
    const t = createConsoleTestApp();
    const wrong = await t.app.request(`${ORIGIN}/editor?token=${EDITOR_TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const { cookie } = await signIn(t);
    const [name, value = ''] = cookie.split('=');
    const parts = value.split('.');
    const tampered = [parts[0], parts[1], String(Number(parts[2]) + 86_400), parts[3]].join('.');
    const forged = `v1.${'A'.repeat(24)}.${parts[2]}.${'B'.repeat(43)}`;
    for (const bad of [`${name}=${tampered}`, `${name}=${forged}`, `${name}=garbage`]) {
      const res = await t.app.request(`${ORIGIN}/editor/console`, { headers: { cookie: bad } });
      expect(res.status, bad).toBe(401);
    }

    t.clock.advance(8 * 60 * 60 * 1000 + 1000);
    const expired = await t.app.request(`${ORIGIN}/editor/console`, { headers: { cookie } });
    expect(expired.status).toBe(401);
  });

  it('keeps the editor API on its bearer token: a console cookie does not open it', async () => {
    const t = createConsoleTestApp();
    const { cookie } = await signIn(t);
    for (const path of ['/editor/api/subscribers/count', '/editor/editions']) {
      const withCookie = await t.app.request(`${ORIGIN}${path}`, { headers: { cookie } });
      expect(withCookie.status, path).toBe(401);
      expect(await withCookie.json()).toMatchObject({ ok: false, field: 'authorization' });
      const withToken = await t.app.request(`${ORIGIN}${path}`, {
        headers: { authorization: `Bearer ${EDITOR_TOKEN}` },
      });
      expect(withToken.status, path).toBe(200);
    }
  });
});

describe('console CSRF protection', () => {
  const csv = 'email\nnew-reader@example.org\n';
  const upload = (csrf: string | undefined) => {
    const form = new FormData();
    if (csrf !== undefined) form.set('csrf', csrf);
    form.set('consented', 'yes');
    form.set('file', new File([csv], 'list.csv', { type: 'text/csv' }));
    return form;
  };

  it('refuses a form without the session token, with another token, from another origin or site, or without the cookie', async () => {
    const t = createConsoleTestApp();
    const session = await signIn(t);
    const other = await signIn(t);
    const attempts: Array<[string, RequestInit]> = [
      ['no token', formPost(session, upload(undefined))],
      ['wrong token', formPost(session, upload('x'.repeat(43)))],
      ["another session's token", formPost(session, upload(other.csrf))],
      ['other origin', formPost(session, upload(session.csrf), { origin: 'https://evil.example' })],
      ['cross-site fetch', formPost(session, upload(session.csrf), { 'sec-fetch-site': 'cross-site' })],
      ['same-site fetch', formPost(session, upload(session.csrf), { 'sec-fetch-site': 'same-site' })],
      ['no cookie (SameSite=Strict drops it cross-site)', formPost({ cookie: '' }, upload(session.csrf))],
      [
        'opaque origin from another site',
        formPost(session, upload(session.csrf), { origin: 'null', 'sec-fetch-site': 'cross-site' }),
      ],
      [
        'opaque origin without fetch metadata',
        { method: 'POST', body: upload(session.csrf), headers: { cookie: session.cookie, origin: 'null' } },
      ],
    ];
    for (const [what, init] of attempts) {
      const res = await t.app.request(`${ORIGIN}/editor/console/subscribers/import`, init);
      expect(res.status, what).toBe(403);
    }
    expect(t.store.all()).toEqual([]);

    // What Chromium sends with a form under the app's Referrer-Policy: no-referrer.
    const ok = await t.app.request(
      `${ORIGIN}/editor/console/subscribers/import`,
      formPost(session, upload(session.csrf), { origin: 'null', 'sec-fetch-site': 'same-origin' }),
    );
    expect(ok.status).toBe(200);
    expect(t.store.all().map((s) => [s.email, s.status])).toEqual([['new-reader@example.org', 'active']]);
  });

  it('checks every state-changing console route', async () => {
    const t = createConsoleTestApp();
    const session = await signIn(t);
    const routes = [
      ['/editor/console/editions/send', { cadence: 'weekly', confirm: 'yes' }],
      ['/editor/console/editions/test', { cadence: 'weekly', to: 'editor@example.org' }],
      ['/editor/console/editions/weekly-2026-W48/pause', {}],
      ['/editor/console/editions/weekly-2026-W48/resume', {}],
      ['/editor/console/editions/weekly-2026-W48/test', { to: 'editor@example.org' }],
    ] as const;
    for (const [path, fields] of routes) {
      const res = await t.app.request(`${ORIGIN}${path}`, formPost(session, { ...fields, csrf: 'forged' }));
      expect(res.status, path).toBe(403);
    }
    expect(t.mailer.sent).toEqual([]);
    expect(await t.editions.list(10)).toEqual([]);
  });
});

describe('console behind IAM (a stage, through `gazette console`)', () => {
  const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com';
  const signed = {
    event: { requestContext: { authorizer: { iam: { userArn: 'arn:aws:iam::1:user/editor' } } } },
  };

  it('refuses a request that did not come through the IAM authorizer', async () => {
    const t = createConsoleTestApp({ auth: { kind: 'iam' }, baseUrl: 'https://news.example.org/' });
    const res = await t.app.request(`${API}/editor/console`, { headers: { accept: 'text/html' } }, {});
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('starts a session on the first signed GET, and takes a form with its token', async () => {
    const t = createConsoleTestApp({ auth: { kind: 'iam' }, baseUrl: 'https://news.example.org/' });
    const first = await t.app.request(`${API}/editor/console/subscribers`, {}, signed);
    expect(first.status).toBe(200);
    const set = first.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^gazette_console=v1\./);
    expect(set).toMatch(/Secure/);
    const cookie = set.split(';')[0] as string;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await first.text())?.[1] as string;

    const form = new FormData();
    form.set('csrf', csrf);
    form.set('consented', 'yes');
    form.set('file', new File(['email\nvia-iam@example.org\n'], 'l.csv'));
    const post = await t.app.request(
      `${API}/editor/console/subscribers/import`,
      { method: 'POST', body: form, headers: { cookie, origin: API, 'sec-fetch-site': 'same-origin' } },
      signed,
    );
    expect(post.status).toBe(200);
    expect(t.store.all().map((s) => s.email)).toEqual(['via-iam@example.org']);

    const unsigned = await t.app.request(
      `${API}/editor/console/subscribers/import`,
      { method: 'POST', body: form, headers: { cookie, origin: API, 'sec-fetch-site': 'same-origin' } },
      {},
    );
    expect(unsigned.status).toBe(403);
    const noSession = await t.app.request(
      `${API}/editor/console/subscribers/import`,
      { method: 'POST', body: form, headers: { origin: API, 'sec-fetch-site': 'same-origin' } },
      signed,
    );
    expect(noSession.status).toBe(403);
  });
});
