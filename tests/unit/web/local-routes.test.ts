import { describe, expect, it } from 'vitest';
import { keyOf } from '../../../web/routes/local-site-routes.js';
import { createTestApp } from '../../support/web-test-app.js';

async function withSite() {
  const t = createTestApp({ local: true });
  await t.site.put('index.html', '<!doctype html><title>Archive</title>', {
    contentType: 'text/html; charset=utf-8',
  });
  await t.site.put('posts/hello/index.html', '<!doctype html><title>Hello</title>', {
    contentType: 'text/html; charset=utf-8',
  });
  await t.site.put('feed.xml', '<?xml version="1.0"?><rss/>', {
    contentType: 'application/rss+xml; charset=utf-8',
  });
  await t.site.put('assets/style.css', 'body{}', { contentType: 'text/css; charset=utf-8' });
  await t.site.put('404.html', '<!doctype html><title>Not here</title>', {
    contentType: 'text/html; charset=utf-8',
  });
  await t.site.put('editions/weekly-2026-W48/index.html', '<p>edition</p>', {
    contentType: 'text/html; charset=utf-8',
  });
  return t;
}

describe('site from the bucket (local mode)', () => {
  it('maps paths to keys and refuses to leave the site', () => {
    expect(keyOf('/')).toBe('index.html');
    expect(keyOf('/posts/x/')).toBe('posts/x/index.html');
    expect(keyOf('/feed.xml')).toBe('feed.xml');
    expect(keyOf('/letters/posts/x/', '/letters/')).toBe('posts/x/index.html');
    expect(keyOf('/posts/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(keyOf('/a/../b')).toBeUndefined();
    expect(keyOf('/%E0%A4%A')).toBeUndefined();
    expect(keyOf('/a%00b')).toBeUndefined();
  });

  it('serves pages, feeds and editions with the stored type, ETag, Last-Modified and Cache-Control', async () => {
    const t = await withSite();
    const index = await t.app.request('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Archive</title>');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(index.headers.get('last-modified')).toBe(
      new Date(Math.floor(t.clock.now().getTime() / 1000) * 1000).toUTCString(),
    );
    expect(index.headers.get('cache-control')).toContain('must-revalidate');
    const post = await t.app.request('/posts/hello/');
    expect(await post.text()).toContain('Hello');
    const feed = await t.app.request('/feed.xml');
    expect(feed.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const css = await t.app.request('/assets/style.css');
    expect(css.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await (await t.app.request('/editions/weekly-2026-W48/')).text()).toBe('<p>edition</p>');
  });

  it('answers 304 to If-None-Match (list, weak, star) and If-Modified-Since, 200 otherwise', async () => {
    const t = await withSite();
    const first = await t.app.request('/feed.xml');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    for (const value of [etag, `"nope", ${etag}`, `W/${etag}`, '*']) {
      const res = await t.app.request('/feed.xml', { headers: { 'If-None-Match': value } });
      expect(res.status, value).toBe(304);
      expect(await res.text()).toBe('');
      expect(res.headers.get('etag')).toBe(etag);
    }
    expect((await t.app.request('/feed.xml', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    expect(
      (await t.app.request('/feed.xml', { headers: { 'If-Modified-Since': lastModified } })).status,
    ).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await t.app.request('/feed.xml', { headers: { 'If-Modified-Since': earlier } })).status).toBe(
      200,
    );
    // If-None-Match wins over If-Modified-Since.
    const both = await t.app.request('/feed.xml', {
      headers: { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified },
    });
    expect(both.status).toBe(200);
    // A changed object gets a new tag and the old one no longer matches.
    t.clock.advance(5000);
    await t.site.put('feed.xml', '<?xml version="1.0"?><rss version="2.0"/>', {
      contentType: 'application/rss+xml; charset=utf-8',
    });
    const changed = await t.app.request('/feed.xml', { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('supports HEAD without a body', async () => {
    const t = await withSite();
    const res = await t.app.request('/feed.xml', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"/);
    expect(await res.text()).toBe('');
  });

  it('redirects a page path without its slash and answers 404 with 404.html', async () => {
    const t = await withSite();
    const redirect = await t.app.request('/posts/hello');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/posts/hello/');
    const missing = await t.app.request('/posts/nothing/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Not here');
    expect((await t.app.request('/posts/%2e%2e/%2e%2e/secret')).status).toBe(404);
  });

  it('does not exist without local mode', async () => {
    const t = createTestApp();
    await t.site.put('index.html', 'x', { contentType: 'text/html' });
    expect((await t.app.request('/')).status).toBe(404);
    expect((await t.app.request('/_local/outbox')).status).toBe(404);
    expect((await t.app.request('/_local/outbox.json')).status).toBe(404);
  });
});

describe('local outbox', () => {
  const raw = (n: number, html: string) =>
    [
      'From: Test Letters <letters@example.org>',
      `To: reader${n}@example.com`,
      `Subject: Message ${n}`,
      `Message-ID: <m${n}@example.org>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Confirm: http://127.0.0.1:3999/confirm?token=abc${n} <now>`,
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--b--',
      '',
    ].join('\r\n');

  const messages = () => [
    {
      messageId: 'm1',
      to: ['reader1@example.com'],
      subject: 'Message 1',
      at: '2026-11-27T09:00:00Z',
      raw: raw(1, '<p>one</p>'),
    },
    {
      messageId: 'm2',
      to: ['reader2@example.com'],
      subject: 'Message 2 <b>',
      at: '2026-11-27T10:00:00Z',
      raw: new TextEncoder().encode(raw(2, '<p>two</p><script>alert(1)</script>')),
    },
  ];

  it('lists every message newest first as HTML and JSON with the raw MIME', async () => {
    const t = createTestApp({ local: true, outbox: messages() });
    const list = await t.app.request('/_local/outbox');
    expect(list.status).toBe(200);
    const page = await list.text();
    expect(page.indexOf('Message 2')).toBeLessThan(page.indexOf('Message 1'));
    expect(page).toContain('Message 2 &lt;b&gt;');
    const json = (await (await t.app.request('/_local/outbox.json')).json()) as Array<
      Record<string, unknown>
    >;
    expect(json.map((m) => m.messageId)).toEqual(['m2', 'm1']);
    expect(json[0]).toMatchObject({
      to: ['reader2@example.com'],
      subject: 'Message 2 <b>',
      at: '2026-11-27T10:00:00.000Z',
    });
    expect(json[0]?.raw).toContain('Subject: Message 2');
  });

  it('shows one message: headers, text with links, and the HTML part in a sandboxed frame', async () => {
    const t = createTestApp({ local: true, outbox: messages() });
    const page = await (await t.app.request('/_local/outbox/2')).text();
    expect(page).toContain('<iframe sandbox="" src="/_local/outbox/2/html"');
    expect(page).toContain('<a href="http://127.0.0.1:3999/confirm?token=abc2">');
    expect(page).toContain('&lt;now&gt;');
    expect(page).toMatch(/<th scope="row">Subject<\/th><td>Message 2<\/td>/);
    const frame = await t.app.request('/_local/outbox/2/html');
    expect(frame.status).toBe(200);
    const csp = frame.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('script-src');
    expect(await frame.text()).toContain('<p>two</p>');
    const source = await t.app.request('/_local/outbox/1/raw');
    expect(source.headers.get('content-type')).toContain('text/plain');
    expect(await source.text()).toContain('To: reader1@example.com');
    expect((await t.app.request('/_local/outbox/9')).status).toBe(404);
  });
});
