import { describe, expect, it } from 'vitest';
import { createApp } from '../../../web/create-app.js';
import {
  CONTENT_SECURITY_POLICY,
  PERMISSIONS_POLICY,
  WEB_COPY_CONTENT_SECURITY_POLICY,
} from '../../../web/security-headers.js';
import { createTestApp, form, json } from '../../support/web-test-app.js';

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('permissions-policy')).toContain('camera=()');
  expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
}

describe('security headers', () => {
  it('the policy forbids scripts, framing, foreign forms, base and plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    );
  });

  it('are on pages, JSON answers, errors and 404s; no HSTS over http', async () => {
    const { app } = createTestApp();
    const responses = [
      await app.request('/subscribe'),
      await app.request('/subscribe', form({ email: 'a@example.com' })),
      await app.request('/subscribe', json({ email: 'a@example.com' })),
      await app.request('/subscribe', form({ email: 'bad' })),
      await app.request('/confirm?token=forged'),
      await app.request('/no/such/page'),
      await app.request('/subscribe', {
        method: 'POST',
        body: 'x',
        headers: { 'Content-Type': 'text/plain' },
      }),
    ];
    for (const res of responses) {
      expectSecurityHeaders(res);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 400, 400, 404, 415]);
  });

  it('adds HSTS when the public URL is https', async () => {
    const t = createTestApp();
    const app = createApp({ ...t.deps, baseUrl: 'https://letters.example.org/' });
    const res = await app.request('/subscribe');
    expectSecurityHeaders(res);
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });

  it('pages carry no inline script or style (the CSP would block them)', async () => {
    const { app } = createTestApp();
    const page = await (await app.request('/subscribe')).text();
    expect(page).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
  });

  it('no stack trace reaches the client; the failure is logged', async () => {
    const t = createTestApp();
    const app = createApp({
      ...t.deps,
      topics: () => {
        throw new Error('topic index unavailable at /secret/path');
      },
    });
    const res = await app.request('/subscribe');
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain('/secret/path');
    expect(body).not.toMatch(/at .*\.ts:\d+/);
    expectSecurityHeaders(res);
    expect(
      t.logger.lines.some((l) => l.level === 'error' && l.message.includes('topic index unavailable')),
    ).toBe(true);
  });

  it("an edition's web copy gets its own policy: inline styles and images, still no script or form", async () => {
    const directives = new Map(
      WEB_COPY_CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('style-src')).toEqual(["'unsafe-inline'"]);
    expect(directives.has('script-src')).toBe(false);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);

    // The local server serves web copies with exactly this policy (CloudFront sends the same).
    const t = createTestApp({ local: true });
    await t.site.put('editions/weekly-2026-W48/index.html', '<p style="color:red">edition</p>', {
      contentType: 'text/html; charset=utf-8',
    });
    const copy = await t.app.request('/editions/weekly-2026-W48/');
    expect(copy.status).toBe(200);
    expect(copy.headers.get('content-security-policy')).toBe(WEB_COPY_CONTENT_SECURITY_POLICY);
    expect(copy.headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
  });
});
