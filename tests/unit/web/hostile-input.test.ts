/**
 * The public surface under attack, through `app.request()`: address enumeration (answers, headers,
 * answer time, failures), rate-limit evasion and limiter failure, line breaks in every field,
 * tampered tokens, method confusion, cross-site POSTs, headers on every answer, hostile mail in the
 * local outbox and hostile paths into the site bucket.
 */
import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { MailerError } from '../../../core/mailer-error.js';
import type { RateLimiter, TokenPurpose } from '../../../core/ports.js';
import { subscriberLink } from '../../../core/subscriptions/subscriber-links.js';
import { createApp } from '../../../web/create-app.js';
import { keyOf } from '../../../web/routes/local-site-routes.js';
import { CONTENT_SECURITY_POLICY } from '../../../web/security-headers.js';
import {
  confirmPath,
  createTestApp,
  form,
  fromIp,
  json,
  type TestAppOptions,
} from '../../support/web-test-app.js';

type TestApp = ReturnType<typeof createTestApp>;

async function snapshot(t: TestApp) {
  return { records: t.store.all(), suppressions: await t.suppressions.list(), sent: t.mailer.sent.length };
}

function alertText(page: string): string {
  return (/<p role="alert">([^<]*)<\/p>/.exec(page)?.[1] ?? '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** An app holding one address in each state, the new one excepted. */
async function everyState(options: TestAppOptions = {}) {
  const t = createTestApp(options);
  const emails = {
    new: 'new@example.com',
    pending: 'pending@example.com',
    active: 'active@example.com',
    unsubscribed: 'unsub@example.com',
    suppressed: 'bounced@example.com',
  };
  for (const email of [emails.pending, emails.active, emails.unsubscribed, emails.suppressed]) {
    await t.app.request('/subscribe', form({ email }));
  }
  const byEmail = (email: string) => t.store.all().find((r) => r.email === email)!;
  t.store.seed({ ...byEmail(emails.active), status: 'active' });
  t.store.seed({ ...byEmail(emails.unsubscribed), status: 'unsubscribed' });
  t.store.seed({ ...byEmail(emails.suppressed), status: 'suppressed' });
  await t.suppressions.put({
    emailKey: emailKeyOf(emails.suppressed),
    reason: 'bounce',
    at: '2026-01-01T00:00:00Z',
  });
  // The pending record's last mail is recent: it is throttled, so it gets no mail either.
  t.mailer.sent.length = 0;
  return { ...t, emails };
}

/** Every header but Date, as one comparable string. */
function headersOf(res: Response): string {
  return [...res.headers]
    .filter(([name]) => name !== 'date')
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

describe('enumeration: every address state gets the same answer', () => {
  it('the same status, headers and bytes, HTML and JSON, and never a cookie', async () => {
    const t = await everyState();
    for (const body of [form, json]) {
      const answers = new Set<string>();
      for (const email of Object.values(t.emails)) {
        const res = await t.app.request('/subscribe', body({ email }));
        expect(res.status).toBe(200);
        expect(res.headers.get('set-cookie')).toBeNull();
        answers.add(`${res.status}\n${headersOf(res)}\n\n${await res.text()}`);
      }
      expect(answers.size).toBe(1);
    }
  });

  it('the same answer time: an answer that mailed is paced like one that did not', async () => {
    const t = await everyState({ mailDelayMs: 150, pacing: { floorMs: 400 } });
    const times: Record<string, number> = {};
    for (const [state, email] of Object.entries(t.emails)) {
      times[state] = (await t.timer.measure(() => t.app.request('/subscribe', form({ email })))).ms;
    }
    // new and unsubscribed were mailed (150 ms of sending), the others not: all answer at the floor.
    expect(t.mailer.sent.map((m) => m.to[0]).sort()).toEqual([t.emails.new, t.emails.unsubscribed]);
    expect(times).toEqual({ new: 400, pending: 400, active: 400, unsubscribed: 400, suppressed: 400 });
  });

  it('a slow mail provider slows every answer alike, up to the ceiling', async () => {
    const t = await everyState({ mailDelayMs: 700, pacing: { floorMs: 100, ceilingMs: 5000 } });
    const mailed = await t.timer.measure(() => t.app.request('/subscribe', form({ email: t.emails.new })));
    const silent = await t.timer.measure(() => t.app.request('/subscribe', form({ email: t.emails.active })));
    expect(mailed.ms).toBe(700);
    expect(silent.ms).toBe(700);

    const capped = await everyState({ mailDelayMs: 9000, pacing: { floorMs: 100, ceilingMs: 2000 } });
    await capped.app.request('/subscribe', form({ email: capped.emails.new }));
    const after = await capped.timer.measure(() =>
      capped.app.request('/subscribe', form({ email: capped.emails.active })),
    );
    expect(after.ms).toBe(2000);
  });

  it('a filled honeypot answers at the same pace as a real request', async () => {
    const t = await everyState({ mailDelayMs: 150, pacing: { floorMs: 400 } });
    const bot = await t.timer.measure(() =>
      t.app.request('/subscribe', form({ email: t.emails.new, website: 'http://spam.example' })),
    );
    expect(bot.ms).toBe(400);
    expect(t.mailer.sent).toEqual([]);
  });

  it('a failing mail provider gets the same answer, is logged, and a retry mails at once', async () => {
    const t = await everyState();
    const active = await t.app.request('/subscribe', form({ email: t.emails.active }));
    t.mailer.failWith = new MailerError('Email address is not verified.', {
      code: 'MessageRejected',
      retryable: false,
    });
    const failed = await t.app.request('/subscribe', form({ email: t.emails.new }));
    expect(failed.status).toBe(200);
    expect(headersOf(failed)).toBe(headersOf(active));
    expect(await failed.text()).toBe(await active.text());
    expect(
      t.logger.lines.some((l) => l.level === 'error' && /confirmation mail not sent/.test(l.message)),
    ).toBe(true);
    const record = t.store.all().find((r) => r.email === t.emails.new);
    expect(record?.status).toBe('pending');
    expect(record?.confirmationSentAt).toBeUndefined();
    t.mailer.failWith = undefined;
    t.clock.advance(60_000);
    await t.app.request('/subscribe', form({ email: t.emails.new }));
    expect(t.mailer.sent.map((m) => m.to[0])).toEqual([t.emails.new]);
  });

  it('a record that keeps changing under the request gets the same answer', async () => {
    const t = await everyState();
    const key = emailKeyOf(t.emails.unsubscribed);
    t.store.beforeWrite = (emailKey) => {
      const current = t.store.all().find((r) => r.emailKey === emailKey);
      if (emailKey === key && current) t.store.seed({ ...current, version: current.version + 1 });
    };
    const active = await t.app.request('/subscribe', json({ email: t.emails.active }));
    const busy = await t.app.request('/subscribe', json({ email: t.emails.unsubscribed }));
    expect(busy.status).toBe(200);
    expect(await busy.text()).toBe(await active.text());
    expect(t.logger.lines.some((l) => l.level === 'error' && /subscribe/.test(l.message))).toBe(true);
  });
});

describe('rate limits cannot be walked around, and fail closed', () => {
  const strict = { subscribePerIp: { limit: 1, windowSeconds: 600 } };

  it('IPv6 clients are counted by their /64 network; the consent record keeps the full address', async () => {
    const t = createTestApp({ rateLimits: { subscribePerIp: { limit: 2, windowSeconds: 600 } } });
    const statuses: number[] = [];
    for (const [email, ip] of [
      ['a@example.com', '2001:db8:1:2::1'],
      ['b@example.com', '2001:0db8:0001:0002:ffff:0:0:9'],
      ['c@example.com', '2001:db8:1:2:abcd:ef01:2345:6789'],
      ['d@example.com', '2001:db8:1:3::1'],
    ] as const) {
      statuses.push((await t.app.request('/subscribe', form({ email }), fromIp(ip))).status);
    }
    expect(statuses).toEqual([200, 200, 429, 200]);
    const hashes = t.store.all().map((r) => r.consent.ipHash);
    expect(hashes).toHaveLength(3);
    expect(new Set(hashes).size).toBe(3);
  });

  it('an IPv4-mapped IPv6 address counts as the IPv4 address', async () => {
    const t = createTestApp({ rateLimits: strict });
    expect(
      (await t.app.request('/subscribe', form({ email: 'a@example.com' }), fromIp('203.0.113.9'))).status,
    ).toBe(200);
    const mapped = await t.app.request(
      '/subscribe',
      form({ email: 'b@example.com' }),
      fromIp('::ffff:203.0.113.9'),
    );
    expect(mapped.status).toBe(429);
  });

  it('a limiter whose store fails refuses with 503 and Retry-After, stores and sends nothing, and logs', async () => {
    const t = createTestApp();
    const broken: RateLimiter = {
      hit: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
    };
    const app = createApp({ ...t.deps, rateLimiter: broken });
    for (const body of [form, json]) {
      const res = await app.request('/subscribe', body({ email: 'a@example.com' }), fromIp('203.0.113.5'));
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const text = await res.text();
      expect(text).toContain('try again');
      expect(text).not.toContain('ProvisionedThroughput');
    }
    expect(await snapshot(t)).toEqual({ records: [], suppressions: [], sent: 0 });
    expect(
      t.logger.lines.some(
        (l) => l.level === 'error' && /rate limit/.test(`${l.message} ${JSON.stringify(l.fields)}`),
      ),
    ).toBe(true);
  });
});

describe('line breaks and controls in any field, Unicode ones included', () => {
  const breaks: Array<[string, string]> = [
    ['CR LF', '\r\n'],
    ['LF', '\n'],
    ['NEL (U+0085)', '\u0085'],
    ['LINE SEPARATOR (U+2028)', '\u2028'],
    ['PARAGRAPH SEPARATOR (U+2029)', '\u2029'],
  ];
  const fields: Array<[string, (x: string) => Record<string, string | string[]>]> = [
    ['email', (x) => ({ email: `ann@example.com${x}Bcc: all@example.com` })],
    ['cadence', (x) => ({ email: 'ann@example.com', cadence: `weekly${x}X: y` })],
    ['topics', (x) => ({ email: 'ann@example.com', topics: ['europe', `trade${x}`] })],
    ['website', (x) => ({ email: 'ann@example.com', website: `a${x}b` })],
    ['form', (x) => ({ email: 'ann@example.com', form: `archive${x}` })],
    ['extra', (x) => ({ email: 'ann@example.com', extra: `a${x}b` })],
  ];

  for (const [breakName, br] of breaks) {
    it.each(fields)(
      `subscribe refuses ${breakName} in %s, naming it, changing nothing`,
      async (field, make) => {
        const t = createTestApp();
        for (const body of [form, json]) {
          const res = await t.app.request('/subscribe', body(make(br)));
          expect(res.status).toBe(400);
          const message =
            body === json ? ((await res.json()) as { error: string }).error : alertText(await res.text());
          expect(message).toBe(`${field}: must not contain line breaks`);
        }
        expect(await snapshot(t)).toEqual({ records: [], suppressions: [], sent: 0 });
      },
    );
  }

  it('preferences refuse a Unicode line separator in the cadence', async () => {
    const t = createTestApp();
    await t.app.request('/subscribe', form({ email: 'ann@example.com' }));
    const record = t.store.all()[0]!;
    const token = new URL(
      subscriberLink(t.deps.signer, t.deps.baseUrl, 'preferences', record, t.clock.now()),
    ).searchParams.get('token')!;
    const before = await snapshot(t);
    const res = await t.app.request('/preferences', json({ token, cadence: 'daily\u2028X: y' }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('cadence: must not contain line breaks');
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('tampered tokens: a clear 4xx and nothing changed', () => {
  async function subscribed() {
    const t = createTestApp();
    await t.app.request('/subscribe', form({ email: 'ann@example.com', cadence: 'weekly' }));
    const path = await confirmPath(t.mailer);
    const confirmToken = new URLSearchParams(path.split('?')[1]).get('token')!;
    const tokenFor = (purpose: TokenPurpose) =>
      new URL(
        subscriberLink(t.deps.signer, t.deps.baseUrl, purpose, t.store.all()[0]!, t.clock.now()),
      ).searchParams.get('token')!;
    return { ...t, confirmToken, tokenFor };
  }

  it('a confirmation link works until its last second and not one second later', async () => {
    const t = await subscribed();
    const exp = JSON.parse(Buffer.from(t.confirmToken.split('.')[0]!, 'base64url').toString()).x as number;
    t.clock.set(new Date((exp - 1) * 1000));
    expect((await t.app.request(`/confirm?token=${t.confirmToken}`)).status).toBe(200);
    t.clock.set(new Date(exp * 1000));
    const expired = await t.app.request('/confirm', form({ token: t.confirmToken }));
    expect(expired.status).toBe(400);
    expect(alertText(await expired.text())).toMatch(/^token: expired/);
    expect(t.store.all()[0]?.status).toBe('pending');
  });

  const variants: Array<[string, (token: string) => string, number, RegExp]> = [
    ['truncated by one character', (k) => k.slice(0, -1), 400, /^token: malformed/],
    ['with a character added', (k) => `${k}A`, 400, /^token: malformed/],
    ['padded with =', (k) => `${k}=`, 400, /^token: malformed/],
    [
      're-encoded as padded standard base64',
      (k) =>
        k
          .split('.')
          .map((part) => Buffer.from(part, 'base64url').toString('base64'))
          .join('.'),
      400,
      /^token: malformed/,
    ],
    ['with its signature cut off', (k) => k.split('.')[0]!, 400, /^token: malformed/],
    ['with a trailing space', (k) => `${k} `, 400, /^token: malformed/],
    ['of 1 MB', (k) => k.repeat(Math.ceil(1_048_576 / k.length)), 400, /^token: malformed/],
    [
      'with the signature of another token',
      (k) => `${Buffer.from('{"p":"u","k":"x","s":"y"}').toString('base64url')}.${k.split('.')[1]}`,
      403,
      /^token: invalid signature/,
    ],
  ];

  it.each(variants)(
    'a preferences token %s is refused on every route',
    async (_name, tamper, status, message) => {
      const t = await subscribed();
      const token = tamper(t.tokenFor('preferences'));
      const q = `?token=${encodeURIComponent(token)}`;
      const before = await snapshot(t);
      for (const [path, init] of [
        [`/preferences${q}`, undefined],
        [`/preferences${q}`, form({ cadence: 'daily' })],
        [`/preferences/export${q}`, form({})],
        [`/preferences/delete${q}`, form({ confirm: 'yes' })],
        [`/unsubscribe${q}`, form({ 'List-Unsubscribe': 'One-Click' })],
        [`/confirm${q}`, form({})],
      ] as const) {
        const res = await t.app.request(path, init);
        expect(res.status, path).toBe(status);
        expect(alertText(await res.text()), path).toMatch(message);
      }
      expect(await snapshot(t)).toEqual(before);
    },
  );

  it('a 1 MB token in the body is refused as too large before it is read', async () => {
    const t = await subscribed();
    const before = await snapshot(t);
    const res = await t.app.request('/unsubscribe', json({ token: 'A'.repeat(1_048_576) }));
    expect(res.status).toBe(413);
    expect(await snapshot(t)).toEqual(before);
  });

  it('two tokens at once are refused, not one of them picked', async () => {
    const t = await subscribed();
    const before = await snapshot(t);
    const res = await t.app.request(
      '/unsubscribe',
      form({ token: [t.tokenFor('unsubscribe'), t.tokenFor('unsubscribe')] }),
    );
    expect(res.status).toBe(400);
    expect(alertText(await res.text())).toBe('token: must be a single string');
    expect(await snapshot(t)).toEqual(before);
  });

  it('every purpose is refused on the routes of the other two', async () => {
    const t = await subscribed();
    await t.app.request('/confirm', form({ token: t.confirmToken }));
    const before = await snapshot(t);
    const routes: Array<[TokenPurpose, string, RequestInit | undefined]> = [
      ['confirm', '/confirm', form({})],
      ['unsubscribe', '/unsubscribe', form({ 'List-Unsubscribe': 'One-Click' })],
      ['preferences', '/preferences/delete', form({ confirm: 'yes' })],
      ['preferences', '/preferences/export', form({})],
    ];
    for (const [purpose, path, init] of routes) {
      for (const other of ['confirm', 'unsubscribe', 'preferences'] as const) {
        if (other === purpose) continue;
        const token = other === 'confirm' ? t.confirmToken : t.tokenFor(other);
        const res = await t.app.request(`${path}?token=${token}`, init);
        expect(res.status, `${other} token on ${path}`).toBe(403);
      }
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it('links of a deleted record do nothing to the record of the same address subscribed anew', async () => {
    const t = await subscribed();
    await t.app.request('/confirm', form({ token: t.confirmToken }));
    const old = { unsubscribe: t.tokenFor('unsubscribe'), preferences: t.tokenFor('preferences') };
    await t.app.request('/preferences/delete', form({ token: old.preferences, confirm: 'yes' }));
    await t.app.request('/subscribe', form({ email: 'ann@example.com' }));
    await t.app.request(
      '/confirm',
      form({ token: new URLSearchParams((await confirmPath(t.mailer, 1)).split('?')[1]).get('token')! }),
    );
    expect(t.store.all()[0]?.status).toBe('active');
    const before = await snapshot(t);
    for (const [path, init] of [
      [`/confirm?token=${t.confirmToken}`, form({})],
      [`/unsubscribe?token=${old.unsubscribe}`, form({ 'List-Unsubscribe': 'One-Click' })],
      [`/preferences?token=${old.preferences}`, form({ cadence: 'daily' })],
      [`/preferences/delete?token=${old.preferences}`, form({ confirm: 'yes' })],
      [`/preferences/export?token=${old.preferences}`, form({})],
    ] as const) {
      const res = await t.app.request(path, init);
      expect(res.status, path).toBe(410);
    }
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('bodies: content types, multipart tricks, charsets, prototype keys, nesting', () => {
  const multipart = (body: string, type = 'multipart/form-data; boundary=XX') =>
    ({ method: 'POST', body, headers: { 'Content-Type': type } }) as RequestInit;
  const part = (name: string, value: string, extra = '') =>
    `--XX\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;

  it.each([
    [
      'no boundary',
      multipart(`${part('email', 'a@example.com')}--XX--\r\n`, 'multipart/form-data'),
      'body: malformed form data',
    ],
    [
      'two boundaries',
      multipart(
        `${part('email', 'a@example.com')}--XX--\r\n`,
        'multipart/form-data; boundary=YY; boundary=XX',
      ),
      'body: malformed form data',
    ],
    ['no closing boundary', multipart(part('email', 'a@example.com')), 'body: malformed form data'],
    [
      'a file where text belongs',
      multipart(`${part('email', 'a@example.com', '; filename="a.txt"')}--XX--\r\n`),
      'email: must be text, not a file',
    ],
    [
      'a line break inside a part',
      multipart(`${part('email', 'a@example.com\nBcc: b@example.com')}--XX--\r\n`),
      'email: must not contain line breaks',
    ],
    [
      'UTF-16 form data',
      {
        method: 'POST',
        body: Buffer.from('email=a@example.com', 'utf16le'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-16le' },
      },
      'body: a field name contains a control character',
    ],
    [
      'UTF-16 JSON',
      {
        method: 'POST',
        body: Buffer.from('{"email":"a@example.com"}', 'utf16le'),
        headers: { 'Content-Type': 'application/json; charset=utf-16' },
      },
      'body: malformed JSON',
    ],
    [
      'a form body sent as JSON',
      { method: 'POST', body: 'email=a@example.com', headers: { 'Content-Type': 'application/json' } },
      'body: malformed JSON',
    ],
  ] as Array<[string, RequestInit, string]>)(
    'refuses %s with a 400 naming the problem',
    async (_name, init, message) => {
      const t = createTestApp();
      const res = await t.app.request('/subscribe', init);
      expect(res.status).toBe(400);
      const shown = res.headers.get('content-type')?.startsWith('application/json')
        ? ((await res.json()) as { error: string }).error
        : alertText(await res.text());
      expect(shown).toBe(message);
      expect(await snapshot(t)).toEqual({ records: [], suppressions: [], sent: 0 });
    },
  );

  it('reads a quoted boundary, an upper-case type and a charset parameter as usual', async () => {
    const t = createTestApp();
    const ok = [
      multipart(`${part('email', 'a@example.com')}--XX--\r\n`, 'multipart/form-data; boundary="XX"'),
      {
        method: 'POST',
        body: 'email=b@example.com',
        headers: { 'Content-Type': 'APPLICATION/X-WWW-FORM-URLENCODED; Charset=UTF-8' },
      },
    ];
    for (const init of ok) expect((await t.app.request('/subscribe', init)).status).toBe(200);
    expect(
      t.store
        .all()
        .map((r) => r.email)
        .sort(),
    ).toEqual(['a@example.com', 'b@example.com']);
  });

  it('prototype keys in JSON and forms are plain unknown fields: nothing polluted, nothing broken', async () => {
    const t = createTestApp();
    const bodies: RequestInit[] = [
      json(
        '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"email":"a@example.com","topics":["europe"]}',
      ),
      {
        method: 'POST',
        body: '__proto__=x&__proto__=y&__proto__[polluted]=3&constructor[prototype][polluted]=4&email=b@example.com',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
    ];
    for (const init of bodies) expect((await t.app.request('/subscribe', init)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(t.store.all().map((r) => [r.email, r.topics])).toEqual([
      ['a@example.com', ['europe']],
      ['b@example.com', []],
    ]);
  });

  it('deep nesting within the limit is read and ignored; huge arrays hit the body limit', async () => {
    const t = createTestApp();
    const deep = `{"email":"a@example.com","x":${'['.repeat(7000)}${']'.repeat(7000)}}`;
    expect((await t.app.request('/subscribe', json(deep))).status).toBe(200);
    const nestedTopic = await t.app.request(
      '/subscribe',
      json({ email: 'b@example.com', topics: [['europe']] }),
    );
    expect(nestedTopic.status).toBe(400);
    const huge = await t.app.request(
      '/subscribe',
      json({ email: 'c@example.com', topics: Array(5000).fill('europe') }),
    );
    expect(huge.status).toBe(413);
    expect(t.store.all().map((r) => r.email)).toEqual(['a@example.com']);
  });

  it('one-click unsubscribe takes the shapes providers send, extra fields and charset included', async () => {
    const t = createTestApp();
    await t.app.request('/subscribe', form({ email: 'ann@example.com' }));
    const record = t.store.all()[0]!;
    const path = (() => {
      const url = new URL(
        subscriberLink(t.deps.signer, t.deps.baseUrl, 'unsubscribe', record, t.clock.now()),
      );
      return `${url.pathname}${url.search}`;
    })();
    const shapes: RequestInit[] = [
      {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      },
      form({ 'List-Unsubscribe': 'One-Click', extra: 'ignored' }),
      multipart(`${part('List-Unsubscribe', 'One-Click')}--XX--\r\n`),
    ];
    for (const init of shapes) {
      t.store.seed({ ...t.store.all()[0]!, status: 'active' });
      const res = await t.app.request(path, init);
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(t.store.all()[0]?.status).toBe('unsubscribed');
    }
    const plain = await t.app.request(path, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
  });
});

describe('methods: only the ones a route has, and GET or HEAD never change anything', () => {
  const routes: Array<[string, string]> = [
    ['/subscribe', 'GET, HEAD, POST'],
    ['/confirm', 'GET, HEAD, POST'],
    ['/preferences', 'GET, HEAD, POST'],
    ['/preferences/export', 'POST'],
    ['/preferences/delete', 'POST'],
    ['/unsubscribe', 'GET, HEAD, POST'],
  ];

  it.each([false, true])('other methods answer 405 with Allow (local mode: %s)', async (local) => {
    const t = createTestApp({ local });
    await t.app.request('/subscribe', form({ email: 'ann@example.com' }));
    const before = await snapshot(t);
    for (const [path, allow] of routes) {
      for (const method of ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']) {
        if (allow.split(', ').includes(method)) continue;
        const res = await t.app.request(`${path}?token=x`, {
          method,
          ...(method === 'GET' || method === 'HEAD'
            ? {}
            : { body: 'confirm=yes', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
        });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
        expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      }
      const options = await t.app.request(path, { method: 'OPTIONS' });
      expect(options.status).toBe(204);
      expect(options.headers.get('allow')).toBe(`${allow}, OPTIONS`);
      expect(options.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it('a 405 names the method and what to use, in JSON too', async () => {
    const t = createTestApp();
    const res = await t.app.request('/preferences/export', { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({
      ok: false,
      field: 'method',
      error: 'method: GET is not allowed here; use POST',
    });
  });
});

describe('cross-site POSTs', () => {
  it('a one-click unsubscribe from a mail provider (foreign Origin, no cookie, multipart) still works', async () => {
    const t = createTestApp();
    await t.app.request('/subscribe', form({ email: 'ann@example.com' }));
    const record = t.store.all()[0]!;
    t.store.seed({ ...record, status: 'active' });
    const url = subscriberLink(t.deps.signer, t.deps.baseUrl, 'unsubscribe', record, t.clock.now());
    const body = new FormData();
    body.append('List-Unsubscribe', 'One-Click');
    const res = await t.app.request(new URL(url).pathname + new URL(url).search, {
      method: 'POST',
      body,
      headers: { Origin: 'https://mail.provider.example', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(t.store.all()[0]?.status).toBe('unsubscribed');
  });

  it('no answer sets a cookie, so there is no ambient credential a cross-site form could ride on', async () => {
    const t = createTestApp({ local: true });
    await t.app.request('/subscribe', form({ email: 'ann@example.com' }));
    const token = (await confirmPath(t.mailer)).split('token=')[1]!;
    const requests: Array<[string, RequestInit | undefined]> = [
      ['/subscribe', undefined],
      ['/subscribe', form({ email: 'bo@example.com' })],
      [`/confirm?token=${token}`, undefined],
      ['/confirm', form({ token })],
      ['/unsubscribe?token=x', undefined],
      ['/preferences?token=x', undefined],
      ['/_local/outbox', undefined],
      ['/', undefined],
    ];
    for (const [path, init] of requests) {
      expect((await t.app.request(path, init)).headers.get('set-cookie'), path).toBeNull();
    }
  });
});

describe('security headers and caching on every answer', () => {
  it('on 200, 304, 400, 403, 404, 405, 409, 410, 413, 415, 429, 500 and 503, local routes included', async () => {
    const t = createTestApp({
      local: true,
      rateLimits: { subscribePerIp: { limit: 2, windowSeconds: 600 } },
    });
    await t.site.put('feed.xml', '<rss/>', { contentType: 'application/rss+xml; charset=utf-8' });
    const etag = (await t.app.request('/feed.xml')).headers.get('etag')!;
    const ip = fromIp('203.0.113.1');
    const statuses: number[] = [];
    const check = async (res: Response, personal: boolean) => {
      statuses.push(res.status);
      expect(res.headers.get('content-security-policy'), String(res.status)).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      if (personal) expect(res.headers.get('cache-control'), String(res.status)).toBe('no-store');
    };
    await check(await t.app.request('/subscribe', form({ email: 'a@example.com' }), ip), true);
    await check(await t.app.request('/feed.xml', { headers: { 'If-None-Match': etag } }), false);
    await check(await t.app.request('/subscribe', json({ email: 'bad' }), ip), true);
    await check(
      await t.app.request('/unsubscribe?token=x.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', form({})),
      true,
    );
    await check(await t.app.request('/_local/outbox/99'), true);
    await check(await t.app.request('/nothing', { headers: { Accept: 'application/json' } }), true);
    await check(await t.app.request('/preferences/delete'), true);
    await check(
      await t.app.request('/subscribe', form({ email: 'a@example.com', x: 'y'.repeat(20_000) })),
      true,
    );
    await check(
      await t.app.request('/subscribe', {
        method: 'POST',
        body: 'x',
        headers: { 'Content-Type': 'text/plain' },
      }),
      true,
    );
    await check(await t.app.request('/subscribe', form({ email: 'c@example.com' }), ip), true);
    const broken = createApp({
      ...t.deps,
      topics: () => {
        throw new Error('down');
      },
    });
    await check(await broken.request('/subscribe'), true);
    const limiterDown = createApp({
      ...t.deps,
      rateLimiter: {
        hit: async () => {
          throw new Error('down');
        },
      },
    });
    await check(await limiterDown.request('/subscribe', json({ email: 'a@example.com' })), true);
    expect(statuses).toEqual([200, 304, 400, 403, 404, 404, 405, 413, 415, 429, 500, 503]);
  });

  it('personal answers are never cached: token pages, exports, JSON answers', async () => {
    const t = createTestApp();
    await t.app.request('/subscribe', form({ email: 'ann@example.com' }));
    const record = t.store.all()[0]!;
    const token = (purpose: TokenPurpose) =>
      new URL(subscriberLink(t.deps.signer, t.deps.baseUrl, purpose, record, t.clock.now())).searchParams.get(
        'token',
      )!;
    for (const res of [
      await t.app.request(`/confirm?token=${token('confirm')}`),
      await t.app.request(`/preferences?token=${token('preferences')}`),
      await t.app.request(`/unsubscribe?token=${token('unsubscribe')}`),
      await t.app.request('/preferences/export', form({ token: token('preferences') })),
      await t.app.request('/preferences', json({ token: token('preferences'), cadence: 'daily' })),
      await t.app.request('/subscribe', json({ email: 'bo@example.com' })),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const missing = await t.app.request('/nothing?token=x', { headers: { Accept: 'application/json' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the local outbox shows hostile mail as text', () => {
  const hostile = [
    'From: "Evil <script>alert(1)</script>" <letters@example.org>',
    'To: "<img src=x onerror=alert(2)>" <reader@example.com>',
    `Subject: =?utf-8?B?${Buffer.from('<script>alert(3)</script> & "quotes"').toString('base64')}?=`,
    'Message-ID: <m1@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Click javascript:alert(4) or http://127.0.0.1:3999/x"onmouseover="alert(5) or </pre><script>alert(6)</script>',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>hi</p><script>alert(7)</script><img src="https://tracker.example/p.gif">',
    '--b--',
    '',
  ].join('\r\n');
  const outbox = () => [
    {
      messageId: 'm1',
      to: ['<b>reader</b>@example.com'],
      subject: '<script>alert(3)</script> & "quotes"',
      at: '2026-11-27T09:00:00Z',
      raw: hostile,
    },
  ];

  it('the list, the message page and its title escape subject, addresses and text', async () => {
    const t = createTestApp({ local: true, outbox: outbox() });
    for (const path of ['/_local/outbox', '/_local/outbox/1']) {
      const page = await (await t.app.request(path)).text();
      expect(page, path).not.toMatch(/<script>alert|<img src=x|<b>reader|onmouseover="alert/);
      expect(page, path).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
    }
    const message = await (await t.app.request('/_local/outbox/1')).text();
    expect(message).toContain(
      '<title>&lt;script&gt;alert(3)&lt;/script&gt; &amp; &#34;quotes&#34; · Gazette Dispatch</title>',
    );
    expect(message).not.toMatch(/href="javascript:/i);
    expect(message).toContain('<a href="http://127.0.0.1:3999/x">');
  });

  it('the HTML part is only served into a sandbox that runs no script and loads nothing from elsewhere', async () => {
    const t = createTestApp({ local: true, outbox: outbox() });
    const frame = await t.app.request('/_local/outbox/1/html');
    const csp = frame.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/(^|; )sandbox(;|$)/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src 'self' data: cid:");
    expect(csp).not.toMatch(/script-src|unsafe-eval|allow-scripts/);
    const raw = await t.app.request('/_local/outbox/1/raw');
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('local mode answers only to loopback names (DNS rebinding)', () => {
  const message = {
    messageId: 'm1',
    to: ['reader@example.com'],
    subject: 'Confirm',
    at: '2026-11-27T09:00:00Z',
    raw: 'Subject: Confirm\r\n\r\nhttp://127.0.0.1:3999/confirm?token=secret-link\r\n',
  };

  it('refuses another Host with 403 and shows none of the outbox', async () => {
    const t = createTestApp({ local: true, outbox: [message] });
    for (const path of ['/_local/outbox.json', '/_local/outbox/1/raw', '/_local/outbox', '/subscribe', '/']) {
      const res = await t.app.request(`http://rebind.attacker.example:3999${path}`);
      expect(res.status, path).toBe(403);
      const body = await res.text();
      expect(body, path).not.toContain('secret-link');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    const posted = await t.app.request(
      'http://rebind.attacker.example:3999/subscribe',
      form({ email: 'a@example.com' }),
    );
    expect(posted.status).toBe(403);
    expect(await snapshot(t)).toEqual({ records: [], suppressions: [], sent: 0 });
  });

  it('answers 127.0.0.1, localhost, [::1] and the base URL host', async () => {
    const t = createTestApp({ local: true, outbox: [message] });
    for (const origin of [
      'http://127.0.0.1:3999',
      'http://localhost:3999',
      'http://[::1]:3999',
      'http://localhost',
    ]) {
      const res = await t.app.request(`${origin}/_local/outbox.json`);
      expect(res.status, origin).toBe(200);
    }
  });

  it('does not check the host outside local mode (the public name is whatever the deployment uses)', async () => {
    const t = createTestApp();
    expect((await t.app.request('https://letters.example.org/subscribe')).status).toBe(200);
  });
});

describe('the site from its bucket (local mode) under hostile paths', () => {
  it('refuses empty path segments: no key with a leading slash, no protocol-relative redirect', async () => {
    expect(keyOf('//evil.example')).toBeUndefined();
    expect(keyOf('//evil.example/x')).toBeUndefined();
    expect(keyOf('/posts//hello/')).toBeUndefined();
    expect(keyOf('/%2F%2Fevil.example/')).toBeUndefined();
    const t = createTestApp({ local: true });
    // What a bucket that normalizes `//` (as s3rver's file store does) would answer to.
    await t.site.put('/evil.example/index.html', 'x', { contentType: 'text/html' });
    await t.site.put('evil.example/index.html', 'x', { contentType: 'text/html' });
    const res = await t.app.request('//evil.example');
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
  });

  it.each([
    // Dot segments the URL parser itself resolves (`/%2e%2e/`) never reach the app: these do.
    '/posts/..%2f..%2fsecret',
    '/posts/%2e%2e%2f%2e%2e%2fsecret',
    '/posts/.%2e%2fsecret',
    '/posts/%252e%252e/%252e%252e/secret',
    '/posts/%5c..%5c..%5csecret',
    '/posts/..%5csecret',
    '/posts/%00.html',
    '/posts/%0d%0aSet-Cookie:%20a=b/',
    '/%ZZ',
  ])('%s is a 404 with no redirect', async (path) => {
    const t = createTestApp({ local: true });
    await t.site.put('secret', 'top secret', { contentType: 'text/plain' });
    const res = await t.app.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).not.toContain('top secret');
  });

  it('public objects may be embedded elsewhere (feed readers, the sandboxed mail preview), as from CloudFront', async () => {
    const t = createTestApp({ local: true });
    await t.site.put('assets/photo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>', {
      contentType: 'image/svg+xml',
    });
    const res = await t.app.request('/assets/photo.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    // The app's own pages stay same-origin only.
    expect((await t.app.request('/subscribe')).headers.get('cross-origin-resource-policy')).toBe(
      'same-origin',
    );
  });
});
