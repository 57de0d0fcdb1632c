import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { recordSesFeedback } from '../../../core/subscriptions/record-ses-feedback.js';
import { useLocalAws } from '../../support/emulators.js';
import { loadSesNotification } from '../../support/ses-notifications/load-ses-notification.js';
import { type LocalWebServer, postForm, startLocalWebServer } from './local-web-server.js';

const aws = useLocalAws();
let web: LocalWebServer;

beforeEach(async () => {
  web = await startLocalWebServer(aws);
});
afterEach(async () => {
  await web.close();
});

const record = (email: string) => aws.subscribers.get(emailKeyOf(email));
const linkIn = (text: string | undefined, path: string) => {
  const found = (text ?? '').match(new RegExp(`https?://[^\\s"<>]+/${path}\\?token=[A-Za-z0-9._-]+`));
  if (!found) throw new Error(`no ${path} link in: ${text?.slice(0, 500)}`);
  return found[0];
};
const hrefIn = (page: string, path: string) => {
  const found = page.match(new RegExp(`href="(https?://[^"]+/${path}\\?token=[^"]+)"`));
  if (!found?.[1]) throw new Error(`no ${path} link on the page`);
  return found[1].replace(/&amp;/g, '&');
};

describe('the subscriber lifecycle on the emulators', () => {
  it('subscribe → mail → GET confirm changes nothing → POST confirm → preferences → one-click unsubscribe → resubscribe', async () => {
    const subscribed = await postForm(`${web.baseUrl}subscribe`, {
      email: 'reader@example.com',
      cadence: 'weekly',
      topics: ['europe'],
      form: 'subscribe-page',
    });
    expect(subscribed.status).toBe(200);
    expect(await subscribed.text()).toContain('Check your inbox');
    expect(await record('reader@example.com')).toMatchObject({
      status: 'pending',
      cadence: 'weekly',
      topics: ['europe'],
    });
    const ipHash = (await record('reader@example.com'))?.consent.ipHash;
    expect(ipHash).toMatch(/^[0-9a-f]{64}$/);

    // The confirmation mail is in the SES emulator and, raw, in the local outbox.
    const emails = await aws.sesEmails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.destination.to).toEqual(['reader@example.com']);
    const confirmUrl = linkIn(emails[0]?.body.text, 'confirm');
    expect(confirmUrl.startsWith(web.baseUrl)).toBe(true);
    const outbox = (await (await fetch(`${web.baseUrl}_local/outbox.json`)).json()) as Array<{
      to: string[];
      raw: string;
    }>;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.to).toEqual(['reader@example.com']);
    expect(outbox[0]?.raw).toMatch(/^Content-Type: multipart\/alternative/m);

    // A mail scanner following the link changes nothing.
    const scanned = await fetch(confirmUrl);
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toContain('Confirm my subscription');
    expect((await record('reader@example.com'))?.status).toBe('pending');

    const token = new URL(confirmUrl).searchParams.get('token')!;
    const confirmed = await postForm(`${web.baseUrl}confirm`, { token });
    expect(confirmed.status).toBe(200);
    const confirmedPage = await confirmed.text();
    expect(confirmedPage).toContain('You are subscribed');
    expect(await record('reader@example.com')).toMatchObject({
      status: 'active',
      consent: { confirmedAt: expect.any(String) },
    });

    // Preferences: the page, then a change.
    const preferencesUrl = hrefIn(confirmedPage, 'preferences');
    const preferencesPage = await (await fetch(preferencesUrl)).text();
    expect(preferencesPage).toContain('reader@example.com');
    const prefsToken = new URL(preferencesUrl).searchParams.get('token')!;
    const saved = await postForm(`${web.baseUrl}preferences`, {
      token: prefsToken,
      cadence: 'daily',
      topics: ['trade', 'security'],
    });
    expect(saved.status).toBe(200);
    expect(await record('reader@example.com')).toMatchObject({
      status: 'active',
      cadence: 'daily',
      topics: ['trade', 'security'],
    });

    // Unsubscribe: GET shows a button only; the one-click POST acts at once.
    const unsubscribeUrl = hrefIn(preferencesPage, 'unsubscribe');
    expect((await fetch(unsubscribeUrl)).status).toBe(200);
    expect((await record('reader@example.com'))?.status).toBe('active');
    const oneClick = await postForm(unsubscribeUrl, { 'List-Unsubscribe': 'One-Click' });
    expect(oneClick.status).toBe(200);
    expect(oneClick.headers.get('location')).toBeNull();
    expect((await record('reader@example.com'))?.status).toBe('unsubscribed');

    // Resubscribing after an unsubscribe sends a new confirmation; the record keeps its id.
    const id = (await record('reader@example.com'))?.id;
    web.clock.advance(60_000);
    expect((await postForm(`${web.baseUrl}subscribe`, { email: 'reader@example.com' })).status).toBe(200);
    expect(await record('reader@example.com')).toMatchObject({ status: 'pending', id });
    expect(await aws.sesEmails()).toHaveLength(2);
  });

  it('one-click unsubscribe works with a multipart body too', async () => {
    await postForm(`${web.baseUrl}subscribe`, { email: 'multi@example.com' });
    const token = new URL(linkIn((await aws.sesEmails())[0]?.body.text, 'confirm')).searchParams.get(
      'token',
    )!;
    await postForm(`${web.baseUrl}confirm`, { token });
    const subscriber = (await record('multi@example.com'))!;
    const unsubscribe = new URL(`${web.baseUrl}unsubscribe`);
    unsubscribe.searchParams.set(
      'token',
      web.signer.sign({ purpose: 'unsubscribe', emailKey: subscriber.emailKey, subscriberId: subscriber.id }),
    );
    const body = new FormData();
    body.append('List-Unsubscribe', 'One-Click');
    const res = await fetch(unsubscribe, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect((await record('multi@example.com'))?.status).toBe('unsubscribed');
  });

  it('answers the same for a suppressed address and sends it nothing', async () => {
    const known = await postForm(`${web.baseUrl}subscribe`, { email: 'fresh@example.com' });
    await aws.suppressions.put({
      emailKey: emailKeyOf('bounced@example.com'),
      reason: 'bounce',
      at: new Date().toISOString(),
    });
    const silent = await postForm(`${web.baseUrl}subscribe`, { email: 'bounced@example.com' });
    expect(silent.status).toBe(200);
    expect(await silent.text()).toBe(await known.text());
    expect((await aws.sesEmails()).map((e) => e.destination.to[0])).toEqual(['fresh@example.com']);
    expect(await record('bounced@example.com')).toBeUndefined();
  });

  it('refuses forged and expired tokens and changes nothing', async () => {
    await postForm(`${web.baseUrl}subscribe`, { email: 'tok@example.com' });
    const token = new URL(linkIn((await aws.sesEmails())[0]?.body.text, 'confirm')).searchParams.get(
      'token',
    )!;
    const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const forgedRes = await postForm(`${web.baseUrl}confirm`, { token: forged });
    expect([400, 403]).toContain(forgedRes.status);
    expect(await forgedRes.text()).toMatch(/token: (invalid signature|malformed)/);
    web.clock.advance(8 * 86_400_000);
    const expired = await postForm(`${web.baseUrl}confirm`, { token });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('token: expired');
    expect((await record('tok@example.com'))?.status).toBe('pending');
  });

  it('refuses bad input with a 4xx naming the field, storing and sending nothing', async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ email: 'nope' }, 400, 'email: must contain exactly one @'],
      [{ email: 'a@example.com\r\nBcc: b@example.com' }, 400, 'email: must not contain line breaks'],
      [{ email: 'a@example.com', cadence: 'hourly' }, 400, 'cadence: unknown cadence'],
      [{ email: 'a@example.com', topics: 'cooking' }, 400, 'topics: unknown topic'],
    ];
    for (const [fields, status, message] of cases) {
      const res = await postForm(`${web.baseUrl}subscribe`, fields);
      expect(res.status).toBe(status);
      expect((await res.text()).replace(/&quot;/g, '"')).toContain(message);
    }
    const malformed = await fetch(`${web.baseUrl}subscribe`, {
      method: 'POST',
      body: '{"email":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'body: malformed JSON' });
    const big = await postForm(`${web.baseUrl}subscribe`, { email: 'a@example.com', x: 'y'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(await aws.sesEmails()).toEqual([]);
    expect(await record('a@example.com')).toBeUndefined();
  });

  it('SES bounce and complaint notifications suppress; the address is silent afterwards', async () => {
    for (const email of ['gone@example.com', 'angry@example.com']) {
      await postForm(`${web.baseUrl}subscribe`, { email });
    }
    const report = await recordSesFeedback(
      { store: aws.subscribers, suppressions: aws.suppressions, clock: web.clock },
      [
        loadSesNotification('bounce-permanent.sns.json'),
        loadSesNotification('complaint.sns.json'),
        loadSesNotification('malformed-message-not-json.sns.json'),
      ],
    );
    expect(report).toMatchObject({ processed: 2, suppressed: 2 });
    expect(await record('gone@example.com')).toMatchObject({
      status: 'suppressed',
      suppressionReason: 'bounce',
    });
    expect(await record('angry@example.com')).toMatchObject({
      status: 'suppressed',
      suppressionReason: 'complaint',
    });
    expect((await aws.suppressions.get(emailKeyOf('angry@example.com')))?.reason).toBe('complaint');
    web.clock.advance(3_600_000);
    const before = (await aws.sesEmails()).length;
    expect((await postForm(`${web.baseUrl}subscribe`, { email: 'gone@example.com' })).status).toBe(200);
    expect(await aws.sesEmails()).toHaveLength(before);
  });
});

describe('rate limits on the emulators', () => {
  it('answers 429 with Retry-After past the per-IP limit (DynamoDB counters)', async () => {
    await web.close();
    web = await startLocalWebServer(aws, {
      rateLimits: { subscribePerIp: { limit: 2, windowSeconds: 600 } },
    });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (const email of ['r1@example.com', 'r2@example.com', 'r3@example.com']) {
      const res = await postForm(`${web.baseUrl}subscribe`, { email });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(await record('r3@example.com')).toBeUndefined();
    expect(await aws.sesEmails()).toHaveLength(2);
  });
});

describe('the site from s3rver', () => {
  it('serves stored objects with ETag and Last-Modified and answers 304 to conditional GETs', async () => {
    await aws.objects.put('feed.xml', '<?xml version="1.0"?><rss version="2.0"/>', {
      contentType: 'application/rss+xml; charset=utf-8',
    });
    await aws.objects.put('index.html', '<!doctype html><title>Archive</title>', {
      contentType: 'text/html; charset=utf-8',
    });
    const first = await fetch(`${web.baseUrl}feed.xml`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const etag = first.headers.get('etag');
    const lastModified = first.headers.get('last-modified');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(lastModified).toBeTruthy();
    const again = await fetch(`${web.baseUrl}feed.xml`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    const since = await fetch(`${web.baseUrl}feed.xml`, { headers: { 'If-Modified-Since': lastModified! } });
    expect(since.status).toBe(304);
    const index = await fetch(web.baseUrl);
    expect(await index.text()).toContain('<title>Archive</title>');
    const head = await fetch(`${web.baseUrl}feed.xml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect((await fetch(`${web.baseUrl}missing/`)).status).toBe(404);
  });
});
