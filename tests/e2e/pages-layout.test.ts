/// <reference lib="dom" />
/**
 * The public pages, the digest and the editors' console in headless Chromium at 375 and 600 px,
 * on the local stack: no horizontal scrolling, no console error, nothing loaded from elsewhere,
 * screenshots kept under test-results/screenshots/, and no serious or critical violation that
 * axe-core finds on the public pages.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import {
  type E2eStack,
  type Mail,
  painted,
  SCREENSHOT_DIR,
  scrollsSideways,
  seriousViolations,
  startE2eStack,
  waitForMail,
  watchedPage,
} from './e2e-stack.js';

const skip = browserSkipReason();
const WIDTHS = [375, 600] as const;

describe.skipIf(skip)('pages at 375 and 600 px', () => {
  let e2e: E2eStack;
  let browser: Browser;
  let origin: string;
  let digest: Mail;
  let editionId: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    e2e = await startE2eStack();
    origin = e2e.base.slice(0, -1);
    browser = await launchChromium();
    // One subscriber and one sent digest, through the editor API as the CLI would do it.
    const auth = { authorization: `Bearer ${e2e.stack.editorToken}` };
    const imported = await fetch(`${e2e.base}editor/api/subscribers/import?consented=1`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: 'email,cadence\nlayout-reader@example.org,weekly\n',
    });
    expect(imported.status).toBe(200);
    const sent = await fetch(`${e2e.base}editor/editions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ cadence: 'weekly' }),
    });
    editionId = ((await sent.json()) as { editionId: string }).editionId;
    digest = await waitForMail(e2e.base, (m) => m.to.includes('layout-reader@example.org'));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await e2e?.stop();
  });

  const publicPages = [
    ['archive', '/'],
    ['post', '/posts/fresh-briefing/'],
    ['subscribe', '/subscribe'],
  ] as const;

  for (const width of WIDTHS) {
    for (const [name, path] of publicPages) {
      it(`${name} at ${width} px fits, logs no error and loads only local resources`, async () => {
        const { context, page, errors, foreign } = await watchedPage(browser, origin, width);
        try {
          const res = await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
          expect(res?.status()).toBe(200);
          const { scrollWidth, innerWidth } = await scrollsSideways(page);
          expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
          expect(errors).toEqual([]);
          expect(foreign).toEqual([]);
          await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      });
    }

    it(`the digest at ${width} px, as mailed and in the browser, fits and logs no error`, async () => {
      const { context, page, errors, foreign } = await watchedPage(browser, origin, width);
      try {
        // The mail as a client shows it: its HTML part alone, nothing fetched.
        await page.route('**/*', (route) =>
          route.request().url().startsWith('data:') ? route.continue() : route.abort(),
        );
        await page.setContent(digest.html, { waitUntil: 'load' });
        const mailed = await scrollsSideways(page);
        expect(mailed.scrollWidth).toBeLessThanOrEqual(mailed.innerWidth);
        expect(await page.textContent('body')).toContain('Talks resume in Geneva');
        await page.screenshot({ path: join(SCREENSHOT_DIR, `digest-mail-${width}.png`), fullPage: true });
        await page.unroute('**/*');

        const res = await page.goto(`${origin}/editions/${editionId}/`, { waitUntil: 'networkidle' });
        expect(res?.status()).toBe(200);
        const web = await scrollsSideways(page);
        expect(web.scrollWidth).toBeLessThanOrEqual(web.innerWidth);
        expect(errors).toEqual([]);
        expect(foreign).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOT_DIR, `digest-web-${width}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }

  it.each([...publicPages, ['digest web copy', '/editions/{id}/'] as const])(
    'axe-core finds no serious or critical violation on the %s page',
    async (_name, path) => {
      const { context, page } = await watchedPage(browser, origin, 375, { bypassCSP: true });
      try {
        await page.goto(`${origin}${path.replace('{id}', editionId)}`, { waitUntil: 'networkidle' });
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it('the console is usable at 375 px: every page fits, logs no error, passes axe', async () => {
    const signIn = `${origin}/editor?token=${encodeURIComponent(e2e.stack.editorToken)}`;
    const pages = [
      ['console-editions', '/editor/console'],
      ['console-preview', '/editor/console/editions/preview?post=fresh-briefing'],
      ['console-progress', `/editor/console/editions/${editionId}`],
      ['console-posts', '/editor/console/posts'],
      ['console-subscribers', '/editor/console/subscribers?q=layout'],
    ] as const;
    const { context, page, errors, foreign } = await watchedPage(browser, origin, 375);
    try {
      await page.goto(signIn);
      for (const [name, path] of pages) {
        await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
        const { scrollWidth, innerWidth } = await scrollsSideways(page);
        expect(scrollWidth, name).toBeLessThanOrEqual(innerWidth);
        await painted(page);
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-375.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
    const checked = await watchedPage(browser, origin, 375, { bypassCSP: true });
    try {
      await checked.page.goto(signIn);
      for (const [name, path] of pages) {
        await checked.page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
        expect(await seriousViolations(checked.page), name).toEqual([]);
      }
    } finally {
      await checked.context.close();
    }
  });
});
