/**
 * The public surface attacked from outside, over real HTTP, with the web app on the emulators
 * (dynalite, s3rver, aws-ses-v2-local): hostile site paths into s3rver, bodies that lie about
 * their length, a limiter whose table is gone, answers that must not tell an address's state, and
 * (in Chromium) site images shown inside the sandboxed mail preview.
 */
import { connect } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoRateLimiter } from '../../../adapters/aws/dynamo-rate-limiter.js';
import { emailKeyOf } from '../../../core/email-key.js';
import { CONTENT_SECURITY_POLICY } from '../../../web/security-headers.js';
import { browserSkipReason, launchChromium } from '../../support/chromium.js';
import { useLocalAws } from '../../support/emulators.js';
import { type LocalWebServer, postForm, startLocalWebServer } from './local-web-server.js';

const aws = useLocalAws();
let web: LocalWebServer;

beforeEach(async () => {
  web = await startLocalWebServer(aws);
});
afterEach(async () => {
  await web.close();
});

/** Sends bytes as they are and reads the answer until the server closes or `timeoutMs` passes. */
function rawRequest(baseUrl: string, bytes: string | Buffer, timeoutMs = 3000): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

async function nothingStored() {
  const addresses = ['a@example.com', 'ann@example.com', 'bo@example.com'];
  const records = await Promise.all(addresses.map((a) => aws.subscribers.get(emailKeyOf(a))));
  return { records: records.filter(Boolean), mails: (await aws.sesEmails()).length };
}

describe('the site from s3rver under hostile paths', () => {
  it('paths with empty segments are a 404 with no redirect, not a 500 from the bucket', async () => {
    await aws.objects.put('posts/hello/index.html', '<p>hello</p>', {
      contentType: 'text/html; charset=utf-8',
    });
    for (const path of ['/posts//hello/', '//posts/hello', '//evil.example', '/posts/hello//']) {
      const answer = await rawRequest(
        web.baseUrl,
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(answer), path).toBe(404);
      expect(answer, path).not.toMatch(/^location:/im);
      expect(answer, path).toContain(`content-security-policy: ${CONTENT_SECURITY_POLICY}`);
    }
    expect((await fetch(`${web.baseUrl}posts/hello/`)).status).toBe(200);
  });

  it('encoded traversal never leaves the bucket', async () => {
    await aws.objects.put('posts/hello/index.html', '<p>hello</p>', {
      contentType: 'text/html; charset=utf-8',
    });
    for (const path of [
      '/posts/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/posts/%2e%2e%2f%2e%2e%2fetc/passwd',
      '/posts/%252e%252e/%252e%252e/etc/passwd',
      '/posts/..%5c..%5cetc%5cpasswd',
      '/posts/%c0%ae%c0%ae/etc/passwd',
    ]) {
      const answer = await rawRequest(
        web.baseUrl,
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(answer), path).toBe(404);
      expect(answer, path).not.toContain('root:');
    }
  });
});

describe('DNS rebinding', () => {
  it('a request naming another host gets 403, not the outbox', async () => {
    await postForm(`${web.baseUrl}subscribe`, { email: 'ann@example.com' });
    const get = (host: string) =>
      rawRequest(
        web.baseUrl,
        `GET /_local/outbox.json HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
    const port = new URL(web.baseUrl).port;
    const rebound = await get(`rebind.attacker.example:${port}`);
    expect(statusOf(rebound)).toBe(403);
    expect(rebound).not.toContain('confirm?token=');
    const own = await get(`127.0.0.1:${port}`);
    expect(statusOf(own)).toBe(200);
    expect(own).toContain('ann@example.com');
  });
});

describe('bodies that lie', () => {
  const head = (length: string) =>
    `POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n${length}Connection: close\r\n\r\n`;

  it('a Content-Length over the limit is refused with 413 before the body is read', async () => {
    const answer = await rawRequest(
      web.baseUrl,
      `${head('Content-Length: 10000000\r\n')}email=a@example.com`,
    );
    expect(statusOf(answer)).toBe(413);
    expect(answer).toContain('larger than the limit of 16384 bytes');
    expect(await nothingStored()).toEqual({ records: [], mails: 0 });
  });

  it('a chunked body without a length is cut off at the limit with 413', async () => {
    const chunk = `email=a@example.com&x=${'y'.repeat(4000)}`;
    const chunks = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const answer = await rawRequest(
      web.baseUrl,
      `${head('Transfer-Encoding: chunked\r\n')}${chunks}0\r\n\r\n`,
    );
    expect(statusOf(answer)).toBe(413);
    expect(await nothingStored()).toEqual({ records: [], mails: 0 });
  });

  it('a body longer than its Content-Length, or both length headers, never reach the app', async () => {
    const longer = await rawRequest(web.baseUrl, `${head('Content-Length: 5\r\n')}email=a@example.com`);
    expect(statusOf(longer)).toBe(400);
    const both = await rawRequest(
      web.baseUrl,
      `${head('Content-Length: 4\r\nTransfer-Encoding: chunked\r\n')}0\r\n\r\n`,
    );
    expect(statusOf(both)).toBe(400);
    // "email" alone (the first 5 bytes) is no address, so nothing may have been stored either way.
    expect(await nothingStored()).toEqual({ records: [], mails: 0 });
  });

  it('a 1 MB token in the URL is refused by the server and changes nothing', async () => {
    const res = await fetch(`${web.baseUrl}unsubscribe?token=${'A'.repeat(1_048_576)}`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }).catch((error: unknown) => error);
    if (res instanceof Response) expect([400, 414, 431]).toContain(res.status);
    else expect(res).toBeInstanceOf(Error);
    expect(await nothingStored()).toEqual({ records: [], mails: 0 });
  });
});

describe('rate limits on the emulators', () => {
  it('a limiter whose table is gone fails closed: 503 with Retry-After, nothing stored or sent', async () => {
    await web.close();
    web = await startLocalWebServer(aws, { rateLimiter: new DynamoRateLimiter(aws.doc, 'no-such-table') });
    const res = await postForm(`${web.baseUrl}subscribe`, { email: 'ann@example.com' });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).not.toMatch(/ResourceNotFound|no-such-table/);
    expect(await nothingStored()).toEqual({ records: [], mails: 0 });
    expect(
      web.logger.lines.some((l) => l.level === 'error' && /rate limiter unavailable/.test(l.message)),
    ).toBe(true);
  });
});

describe('enumeration over HTTP', () => {
  it('new, pending, active, unsubscribed and suppressed addresses get byte-identical answers', async () => {
    const emails = [
      'new@example.com',
      'pending@example.com',
      'active@example.com',
      'unsub@example.com',
      'gone@example.com',
    ];
    for (const email of emails.slice(1)) await postForm(`${web.baseUrl}subscribe`, { email });
    const set = async (email: string, status: 'active' | 'unsubscribed' | 'suppressed') => {
      const record = (await aws.subscribers.get(emailKeyOf(email)))!;
      await aws.subscribers.update({ ...record, status, version: record.version + 1 }, record.version);
    };
    await set('active@example.com', 'active');
    await set('unsub@example.com', 'unsubscribed');
    await set('gone@example.com', 'suppressed');
    await aws.suppressions.put({
      emailKey: emailKeyOf('gone@example.com'),
      reason: 'complaint',
      at: new Date().toISOString(),
    });
    const answers = new Set<string>();
    for (const email of emails) {
      const res = await postForm(`${web.baseUrl}subscribe`, { email });
      const headers = [...res.headers].filter(([name]) => !['date', 'keep-alive'].includes(name));
      answers.add(`${res.status} ${JSON.stringify(headers)} ${await res.text()}`);
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toMatch(/^200 /);
  });
});

const skip = browserSkipReason();

describe.skipIf(skip)('the mail preview in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows images from the site inside the sandboxed frame, and runs none of the mail’s script', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>';
    await aws.objects.put('assets/dot.svg', svg, { contentType: 'image/svg+xml' });
    const imageUrl = `${web.baseUrl}assets/dot.svg`;
    const raw = [
      'From: Test Letters <letters@example.org>',
      'To: reader@example.com',
      'Subject: With a picture',
      'Message-ID: <pic@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<p>hello</p><img src="${imageUrl}" alt="dot"><script>document.title = 'pwned'; fetch('/subscribe', { method: 'POST' });</script>`,
      '',
    ].join('\r\n');
    await web.outbox.record({
      messageId: 'pic',
      at: new Date().toISOString(),
      from: 'letters@example.org',
      to: ['reader@example.com'],
      raw: new TextEncoder().encode(raw),
    });
    const page = await browser.newPage();
    try {
      const failed: string[] = [];
      const loaded: number[] = [];
      const posts: string[] = [];
      page.on('requestfailed', (r) => {
        // The bucket here holds no stylesheet; only the mail's image matters.
        if (r.url() === imageUrl) failed.push(`${r.url()} ${r.failure()?.errorText}`);
      });
      page.on('response', (r) => {
        if (r.url() === imageUrl) loaded.push(r.status());
      });
      page.on('request', (r) => {
        if (r.method() !== 'GET') posts.push(r.url());
      });
      await page.goto(`${web.baseUrl}_local/outbox/1`, { waitUntil: 'networkidle' });
      expect(failed).toEqual([]);
      expect(loaded).toEqual([200]);
      expect(posts).toEqual([]);
      expect(await page.title()).not.toContain('pwned');
    } finally {
      await page.close();
    }
  });
});
