import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { confirmPath, createTestApp, form, json } from '../../support/web-test-app.js';

type TestApp = ReturnType<typeof createTestApp>;

async function snapshot(t: TestApp) {
  return { records: t.store.all(), suppressions: await t.suppressions.list(), sent: t.mailer.sent.length };
}

describe('GET /subscribe', () => {
  it('shows a labelled form with cadences, topics and a hidden honeypot, in the site layout', async () => {
    const { app } = createTestApp();
    const res = await app.request('/subscribe');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('<link rel="stylesheet" href="/assets/style.css">');
    expect(page).toMatch(/<form method="post" action="\/subscribe">/);
    expect(page).toMatch(
      /<label for="email">[^<]+<\/label>\s*<input type="email" id="email" name="email" required/,
    );
    for (const cadence of ['immediate', 'daily', 'weekly']) {
      expect(page).toContain(`<input type="radio" name="cadence" id="cadence-${cadence}" value="${cadence}"`);
      expect(page).toContain(`<label for="cadence-${cadence}">`);
    }
    expect(page).toMatch(/value="weekly" checked/);
    for (const topic of ['europe', 'security', 'trade']) expect(page).toContain(`value="${topic}"`);
    expect(page).toMatch(
      /<div class="hp" hidden aria-hidden="true">\s*<label for="website">[^<]*<\/label>\s*<input type="text" id="website" name="website" tabindex="-1"/,
    );
    expect(page).not.toMatch(/<script|style="/);
  });

  it('never changes state', async () => {
    const t = createTestApp();
    const before = await snapshot(t);
    await t.app.request('/subscribe');
    await t.app.request('/subscribe?email=ann@example.com');
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('POST /subscribe', () => {
  it('creates a pending subscriber from a form with repeated topics and mails a confirmation', async () => {
    const t = createTestApp();
    const res = await t.app.request(
      '/subscribe',
      form(
        { email: 'Ann@Example.com', cadence: 'daily', topics: ['europe', 'trade'], form: 'subscribe-page' },
        { 'User-Agent': 'Browser/1' },
      ),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    expect(t.store.all()[0]).toMatchObject({
      email: 'ann@example.com',
      status: 'pending',
      cadence: 'daily',
      topics: ['europe', 'trade'],
      consent: { form: 'subscribe-page', userAgent: 'Browser/1' },
    });
    expect(t.mailer.sent).toHaveLength(1);
    expect(t.mailer.sent[0]).toMatchObject({
      to: ['ann@example.com'],
      from: 'dispatch@news.example.com',
      tags: { kind: 'confirmation' },
    });
    expect(await confirmPath(t.mailer)).toMatch(/^\/confirm\?token=/);
  });

  it('records the hashed client IP from the Lambda request context, never X-Forwarded-For', async () => {
    const t = createTestApp();
    const env = { requestContext: { http: { sourceIp: '203.0.113.7' } } };
    await t.app.request(
      '/subscribe',
      form({ email: 'a@example.com' }, { 'X-Forwarded-For': '198.51.100.1' }),
      env,
    );
    const ipHash = t.store.all()[0]?.consent.ipHash ?? '';
    expect(ipHash).toMatch(/^[0-9a-f]{64}$/);
    const other = createTestApp();
    await other.app.request(
      '/subscribe',
      form({ email: 'a@example.com' }, { 'X-Forwarded-For': '198.51.100.2' }),
      env,
    );
    expect(other.store.all()[0]?.consent.ipHash).toBe(ipHash);
  });

  it('accepts JSON and answers JSON, recording the api form', async () => {
    const t = createTestApp();
    const res = await t.app.request(
      '/subscribe',
      json({ email: 'bo@example.com', cadence: 'immediate', topics: ['security'] }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ ok: true, message: expect.stringContaining('Check your inbox') });
    expect(t.store.all()[0]).toMatchObject({
      cadence: 'immediate',
      topics: ['security'],
      consent: { form: 'api' },
    });
  });

  it('answers byte for byte the same for new, pending, active, unsubscribed and suppressed addresses', async () => {
    const t = createTestApp();
    const emails = [
      'new@example.com',
      'pending@example.com',
      'active@example.com',
      'unsub@example.com',
      'bounced@example.com',
    ];
    for (const email of emails.slice(1)) await t.app.request('/subscribe', form({ email }));
    const byEmail = (email: string) => t.store.all().find((r) => r.email === email)!;
    t.store.seed({ ...byEmail('active@example.com'), status: 'active' });
    t.store.seed({ ...byEmail('unsub@example.com'), status: 'unsubscribed' });
    await t.suppressions.put({
      emailKey: emailKeyOf('bounced@example.com'),
      reason: 'bounce',
      at: '2026-01-01T00:00:00Z',
    });
    const sentBefore = t.mailer.sent.length;
    const htmlAnswers = new Set<string>();
    const jsonAnswers = new Set<string>();
    for (const email of emails) {
      const res = await t.app.request('/subscribe', form({ email }));
      expect(res.status).toBe(200);
      htmlAnswers.add(await res.text());
      const api = await t.app.request('/subscribe', json({ email }));
      expect(api.status).toBe(200);
      jsonAnswers.add(await api.text());
    }
    expect(htmlAnswers.size).toBe(1);
    expect(jsonAnswers.size).toBe(1);
    // new + unsubscribed got mail; pending was throttled; active and suppressed got nothing.
    const recipients = t.mailer.sent.slice(sentBefore).map((m) => m.to[0]);
    expect(recipients.sort()).toEqual(['new@example.com', 'unsub@example.com']);
  });

  it('does nothing for a filled honeypot but answers the same', async () => {
    const t = createTestApp();
    const real = await t.app.request('/subscribe', form({ email: 'real@example.com' }));
    const bot = await t.app.request(
      '/subscribe',
      form({ email: 'bot@example.com', website: 'http://spam.example' }),
    );
    expect(bot.status).toBe(200);
    expect(await bot.text()).toBe(await real.text());
    expect(t.store.all().map((r) => r.email)).toEqual(['real@example.com']);
    expect(t.mailer.sent).toHaveLength(1);
  });

  const badInputs: Array<[string, Record<string, string | string[]>, RegExp]> = [
    ['missing email', { cadence: 'weekly' }, /^email: is required/],
    ['invalid email', { email: 'not-an-address' }, /^email: must contain exactly one @/],
    ['email without a dot in the domain', { email: 'ann@localhost' }, /^email: needs a domain with a dot/],
    ['overlong email', { email: `${'a'.repeat(300)}@example.com` }, /^email: must be at most 254 characters/],
    [
      'CR/LF in email',
      { email: 'ann@example.com\r\nBcc: all@example.com' },
      /^email: must not contain line breaks/,
    ],
    [
      'CR/LF in cadence',
      { email: 'ann@example.com', cadence: 'weekly\nX: y' },
      /^cadence: must not contain line breaks/,
    ],
    [
      'CR/LF in a topic',
      { email: 'ann@example.com', topics: ['europe', 'trade\r\n'] },
      /^topics: must not contain line breaks/,
    ],
    [
      'CR/LF in the honeypot',
      { email: 'ann@example.com', website: 'a\nb' },
      /^website: must not contain line breaks/,
    ],
    [
      'CR/LF in an unknown field',
      { email: 'ann@example.com', extra: 'a\rb' },
      /^extra: must not contain line breaks/,
    ],
    [
      'unknown cadence',
      { email: 'ann@example.com', cadence: 'hourly' },
      /^cadence: unknown cadence "hourly"/,
    ],
    [
      'unknown topic',
      { email: 'ann@example.com', topics: ['europe', 'cooking'] },
      /^topics: unknown topic "cooking"/,
    ],
    ['two emails', { email: ['a@example.com', 'b@example.com'] }, /^email: must be a single string/],
  ];

  it.each(badInputs)(
    'refuses %s with a 400 naming the field, changing nothing (HTML)',
    async (_name, fields, message) => {
      const t = createTestApp();
      const before = await snapshot(t);
      const res = await t.app.request('/subscribe', form(fields));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      const page = await res.text();
      const shown = /<p role="alert">([^<]*)<\/p>/.exec(page)?.[1] ?? '';
      expect(shown.replace(/&quot;/g, '"')).toMatch(message);
      expect(await snapshot(t)).toEqual(before);
    },
  );

  it.each(badInputs)(
    'refuses %s with a 400 naming the field, changing nothing (JSON)',
    async (_name, fields, message) => {
      const t = createTestApp();
      const before = await snapshot(t);
      const res = await t.app.request('/subscribe', json(fields));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { ok: boolean; error: string; field: string };
      expect(body.ok).toBe(false);
      expect(body.error).toMatch(message);
      expect(body.error.startsWith(`${body.field}: `)).toBe(true);
      expect(await snapshot(t)).toEqual(before);
    },
  );

  it.each([
    ['{"email": "a@example.com"', 'body: malformed JSON'],
    ['[1,2]', 'body: must be a JSON object'],
    ['"text"', 'body: must be a JSON object'],
    ['{"email": 42}', 'email: must be a single string'],
    ['{"email": "a@example.com", "topics": "europe\\ntrade"}', 'topics: must not contain line breaks'],
    ['{"email": "a@example.com", "topics": [1]}', 'topics: must be a list of topic names'],
  ])('refuses the JSON body %s', async (body, message) => {
    const t = createTestApp();
    const res = await t.app.request('/subscribe', json(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(message);
    expect(t.store.all()).toEqual([]);
  });

  it('refuses other content types with 415 naming what it accepts', async () => {
    const t = createTestApp();
    for (const type of ['text/plain', 'application/xml', undefined]) {
      const res = await t.app.request('/subscribe', {
        method: 'POST',
        body: 'email=a@example.com',
        headers: type ? { 'Content-Type': type, Accept: 'application/json' } : { Accept: 'application/json' },
      });
      expect(res.status).toBe(415);
      const error = ((await res.json()) as { error: string }).error;
      expect(error).toMatch(/^body: (unsupported content type|no content type)/);
      expect(error).toContain('application/x-www-form-urlencoded');
    }
    expect(t.store.all()).toEqual([]);
  });

  it('refuses a body over the limit with 413 naming the limit', async () => {
    const t = createTestApp({ maxBodyBytes: 1024 });
    const res = await t.app.request('/subscribe', form({ email: 'a@example.com', filler: 'x'.repeat(2000) }));
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('body: larger than the limit of 1024 bytes');
    const chunked = await t.app.request('/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`{"email":"a@example.com","x":"${'y'.repeat(3000)}"}`));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(t.store.all()).toEqual([]);
    expect(t.mailer.sent).toEqual([]);
  });

  it('uses 16 KiB as the default body limit', async () => {
    const t = createTestApp();
    const res = await t.app.request(
      '/subscribe',
      form({ email: 'a@example.com', filler: 'x'.repeat(17_000) }),
    );
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('16384 bytes');
  });

  it('limits requests per IP with 429 and Retry-After', async () => {
    const t = createTestApp({ rateLimits: { subscribePerIp: { limit: 2, windowSeconds: 600 } } });
    const env = { requestContext: { http: { sourceIp: '203.0.113.9' } } };
    for (const email of ['a@example.com', 'b@example.com']) {
      expect((await t.app.request('/subscribe', form({ email }), env)).status).toBe(200);
    }
    const limited = await t.app.request('/subscribe', form({ email: 'c@example.com' }), env);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await limited.text()).toContain('too many subscribe requests');
    expect(
      t.store
        .all()
        .map((r) => r.email)
        .sort(),
    ).toEqual(['a@example.com', 'b@example.com']);
    // Another client is not affected; the same client is again after the window.
    const other = { requestContext: { http: { sourceIp: '203.0.113.10' } } };
    expect((await t.app.request('/subscribe', form({ email: 'c@example.com' }), other)).status).toBe(200);
    t.clock.advance(600_000);
    expect((await t.app.request('/subscribe', form({ email: 'd@example.com' }), env)).status).toBe(200);
  });

  it('limits requests per address across IPs', async () => {
    const t = createTestApp({
      rateLimits: {
        subscribePerIp: { limit: 100, windowSeconds: 600 },
        subscribePerAddress: { limit: 3, windowSeconds: 3600 },
      },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const env = { requestContext: { http: { sourceIp: `203.0.113.${20 + i}` } } };
      const res = await t.app.request('/subscribe', json({ email: 'target@example.com' }), env);
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(t.mailer.sent).toHaveLength(1);
  });

  it('escapes reflected input: XSS attempts in every field stay text', async () => {
    const t = createTestApp();
    const xss = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
    const attempts: Array<Record<string, string>> = [
      { email: xss },
      { email: 'a@example.com', cadence: xss },
      { email: 'a@example.com', topics: xss },
      { email: 'a@example.com', form: xss },
      { email: `${xss}@example.com` },
    ];
    for (const fields of attempts) {
      const res = await t.app.request('/subscribe', form(fields));
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
      expect(page).not.toMatch(/<[^>]+onerror=/i);
    }
    expect(t.store.all()).toEqual([]);
  });
});
