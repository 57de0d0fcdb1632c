/// <reference lib="dom" />
/**
 * The built archive in headless Chromium, served from 127.0.0.1: readable at 375 px and 1280 px
 * without horizontal scrolling, no console errors, no request to any other host, and no
 * accessibility violation axe-core can find (WCAG 2 AA, light and dark).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type SiteFile } from '../../../core/site/build-site.js';
import { browserSkipReason, launchChromium } from '../../support/chromium.js';
import { siteTemplates } from '../../support/fixtures.js';
import { publication, renderedFixture } from './fixtures.js';

const skip = browserSkipReason();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A solid PNG, wider than any phone, to prove images shrink to fit. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x5a)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(skip)('archive pages in Chromium', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  const files = new Map<string, SiteFile>();
  const image = png(1600, 400);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).slice(1);
      if (path.startsWith('images/')) {
        res.writeHead(200, { 'content-type': 'image/png' }).end(image);
        return;
      }
      const file = files.get(path.endsWith('/') || path === '' ? `${path}index.html` : path);
      if (file) res.writeHead(200, { 'content-type': file.contentType }).end(file.body);
      else
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(files.get('404.html')?.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The publication lives at the local server, so absolute URLs (images) stay local too.
    const pub = publication({ url: `${origin}/` });
    for (const file of await buildSite({
      publication: pub,
      posts: renderedFixture(pub),
      templates: siteTemplates,
    })) {
      files.set(file.path, file);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  interface Visit {
    page: Page;
    consoleErrors: string[];
    foreignRequests: string[];
  }

  async function visit(path: string, width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Visit> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const foreignRequests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== origin) foreignRequests.push(request.url());
    });
    await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    // Lazy images below the fold load once scrolled to.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState('networkidle');
    return { page, consoleErrors, foreignRequests };
  }

  const pages = [
    '/',
    '/posts/maps-that-lie/',
    '/posts/longest-street-names/',
    '/posts/city-of-bridges/',
    '/tags/maps/',
    '/nowhere/',
  ];

  describe.each([375, 1280])('at %i px', (width) => {
    it.each(pages)('%s fits the width, loads only local resources and logs no error', async (path) => {
      const { page, consoleErrors, foreignRequests } = await visit(path, width);
      try {
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        expect(foreignRequests).toEqual([]);
        // The 404 page is served with status 404, which Chromium reports as a console error.
        expect(consoleErrors.filter((e) => !(path === '/nowhere/' && /404/.test(e)))).toEqual([]);
        const stylesheetApplied = await page.evaluate(
          () => getComputedStyle(document.body).marginTop === '0px',
        );
        expect(stylesheetApplied).toBe(true);
        const images = await page.evaluate(() =>
          [...document.images].map((img) => ({
            width: img.getBoundingClientRect().width,
            complete: img.complete,
          })),
        );
        for (const img of images) expect(img.width).toBeLessThanOrEqual(width);
      } finally {
        await page.context().close();
      }
    });
  });

  it('keeps the text to a readable measure on a desktop', async () => {
    const { page } = await visit('/posts/maps-that-lie/', 1280);
    try {
      const width = await page.evaluate(
        () => document.querySelector('main')?.getBoundingClientRect().width ?? 0,
      );
      expect(width).toBeGreaterThan(500);
      expect(width).toBeLessThanOrEqual(42 * 16);
    } finally {
      await page.context().close();
    }
  });

  it('shows where the keyboard focus is', async () => {
    const { page } = await visit('/', 1280);
    try {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          text: el.textContent,
          outline: style.outlineStyle,
          width: style.outlineWidth,
          top: el.getBoundingClientRect().top,
        };
      });
      expect(focus.text).toBe('Skip to content');
      expect(focus.outline).toBe('solid');
      expect(focus.width).toBe('3px');
      expect(focus.top).toBeGreaterThanOrEqual(0);
    } finally {
      await page.context().close();
    }
  });

  describe.each(['light', 'dark'] as const)('axe-core, %s', (scheme) => {
    it.each(pages)('%s has no WCAG 2 A/AA violation', async (path) => {
      const { page } = await visit(path, 1280, scheme);
      try {
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run: (
                  ctx: Document,
                  o: object,
                ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
              };
            }
          ).axe;
          const result = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] },
          });
          return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
        });
        expect(violations).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  });
});
