/**
 * The rendered mail in headless Chromium, as a phone (375 px) and a desktop client (600 px)
 * show it: no horizontal scroll, every image described, nothing written to the console, and
 * dark-mode colours when the reader prefers them. Skipped, with the reason printed, when no
 * Chromium is installed. Requests never leave the machine: images are answered locally.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeNonAscii } from '../../../core/email/escape-non-ascii.js';
import { compileEdition, personalize } from '../../../core/email/personalize.js';
import { renderEdition } from '../../../core/email/render-edition.js';
import { browserSkipReason, launchChromium } from '../../support/chromium.js';
import { publication, emailTemplates as templates } from '../../support/fixtures.js';
import { links, makeHeavyPosts, makePost } from './fixtures.js';

const skip = browserSkipReason();
const WIDE_IMAGE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="1200"><rect width="2400" height="1200" fill="#88aabb"/></svg>';

async function open(browser: Browser, html: string, width: number, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', (route) =>
    /\.(jpe?g|png|gif|webp|svg)(\?|$)/i.test(route.request().url())
      ? route.fulfill({ status: 200, contentType: 'image/svg+xml', body: WIDE_IMAGE })
      : route.fulfill({ status: 204, body: '' }),
  );
  await page.setContent(html, { waitUntil: 'load' });
  return { page, errors, close: () => context.close() };
}

interface Layout {
  scrollWidth: number;
  clientWidth: number;
  images: Array<{ alt: string | null; width: number }>;
}

// Evaluated in the page (as source text: this project compiles without the DOM library).
function layout(page: Page): Promise<Layout> {
  return page.evaluate<Layout>(`({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    images: [...document.images].map((img) => ({ alt: img.getAttribute('alt'), width: img.getBoundingClientRect().width })),
  })`);
}

describe.skipIf(skip !== undefined)('email HTML in Chromium', () => {
  let browser: Browser;
  let digestHtml: string;
  let postHtml: string;

  beforeAll(async () => {
    browser = await launchChromium();
    const digest = await renderEdition({
      publication,
      templates,
      editionId: 'weekly-2026-W47',
      kind: 'digest',
      cadence: 'weekly',
      posts: makeHeavyPosts(10),
    });
    digestHtml = personalize(compileEdition(digest), links).html;
    const wide = makePost(1, {
      html:
        `<p>${'https://example.org/a-very-long-unbroken-address/'.repeat(6)}</p>` +
        `<pre><code>${'const aVeryLongIdentifierName = someFunction(withArguments, andMore); '.repeat(4)}</code></pre>` +
        '<p><img src="https://news.example.com/images/huge.png" alt="A very wide chart" width="2400"></p>' +
        `<table><tr>${'<td>cell-with-long-content</td>'.repeat(12)}</tr></table>`,
    });
    const post = await renderEdition({
      publication,
      templates,
      editionId: 'post-note-1',
      kind: 'post',
      posts: [wide],
    });
    postHtml = personalize(compileEdition(post), links).html;
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [375, 600]) {
    it(`digest at ${width} px: no horizontal scroll, images with alt and within the page, no console error`, async () => {
      const { page, errors, close } = await open(browser, digestHtml, width);
      try {
        const seen = await layout(page);
        expect(seen.scrollWidth).toBeLessThanOrEqual(seen.clientWidth);
        expect(seen.images).toHaveLength(10);
        for (const image of seen.images) {
          expect(image.alt?.trim()).toBeTruthy();
          expect(image.width).toBeLessThanOrEqual(width);
          expect(image.width).toBeGreaterThan(width / 2);
        }
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });

    it(`post with wide content at ${width} px: no horizontal scroll`, async () => {
      const { page, errors, close } = await open(browser, postHtml, width);
      try {
        const seen = await layout(page);
        expect(seen.scrollWidth).toBeLessThanOrEqual(seen.clientWidth);
        for (const image of seen.images) expect(image.width).toBeLessThanOrEqual(width);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('switches to dark colours when the reader prefers a dark scheme', async () => {
    const background = async (scheme: 'light' | 'dark') => {
      const { page, close } = await open(browser, digestHtml, 600, scheme);
      try {
        return await page.evaluate<string[]>(`(() => {
          const card = document.querySelector('.gz-card');
          const title = document.querySelector('.gz-title a');
          return [card ? getComputedStyle(card).backgroundColor : '', title ? getComputedStyle(title).color : ''];
        })()`);
      } finally {
        await close();
      }
    };
    expect(await background('light')).toEqual(['rgb(255, 255, 255)', 'rgb(31, 35, 40)']);
    expect(await background('dark')).toEqual(['rgb(22, 27, 34)', 'rgb(230, 237, 243)']);
  });

  it('shows a page written in ASCII exactly as the original: text, attributes, links and CSS', async () => {
    const original =
      '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Grüße → 😀</title><style>' +
      '.café::after { content: "→ … „zitat“ \\→"; font-family: "Ünï Sans", serif; }' +
      ' .gz-x[title="Straße"] { color: rgb(1, 2, 3); }</style></head><body>' +
      '<p class="café gz-x" title="Straße" style="font-family: \'Zeitung für alle\'">Read more → עברית 日本語 😀</p>' +
      '<a href="https://example.com/straße/ü?q=é#→">link</a></body></html>';
    const escaped = escapeNonAscii(original);
    expect(escaped).toMatch(/^[\u0000-\u007f]*$/);
    const read = async (html: string) => {
      const { page, errors, close } = await open(browser, html, 600);
      try {
        const seen = await page.evaluate<string[]>(`(() => {
          const p = document.querySelector('p');
          return [
            document.title,
            p.textContent,
            p.className,
            p.getAttribute('title'),
            getComputedStyle(p).fontFamily,
            getComputedStyle(p).color,
            getComputedStyle(p, '::after').content,
            document.querySelector('a').href,
          ];
        })()`);
        expect(errors).toEqual([]);
        return seen;
      } finally {
        await close();
      }
    };
    const before = await read(original);
    expect(before[6]).toBe('"→ … „zitat“ →"');
    expect(before[5]).toBe('rgb(1, 2, 3)');
    expect(await read(escaped)).toEqual(before);
  });
});
