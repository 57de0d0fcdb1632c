/// <reference lib="dom" />
/**
 * The whole product in headless Chromium, on the local stack this test starts and stops: a
 * reader subscribes and confirms from the local outbox; an editor previews, test-sends and sends
 * the weekly digest from the console; the reader's mail's links work, its one-click unsubscribe
 * (RFC 8058) unsubscribes, and the next edition reaches everyone but that reader.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import {
  type E2eStack,
  linkIn,
  type Mail,
  outbox,
  painted,
  SCREENSHOT_DIR,
  startE2eStack,
  waitForMail,
  watchedPage,
} from './e2e-stack.js';

const skip = browserSkipReason();

const READER = 'reader@example.org';
const CONTROL = 'control@example.org';
const EDITOR = 'editor@example.org';
const WEEK = 7 * 24 * 60 * 60 * 1000;

describe.skipIf(skip)('a reader and an editor, end to end', () => {
  let e2e: E2eStack;
  let browser: Browser;
  let editorPage: Page;
  let digest: Mail;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    e2e = await startE2eStack();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await e2e?.stop();
  });

  async function subscriberStatus(email: string): Promise<string | undefined> {
    const res = await fetch(`${e2e.base}editor/api/subscribers?q=${encodeURIComponent(email)}`, {
      headers: { authorization: `Bearer ${e2e.stack.editorToken}`, accept: 'application/json' },
    });
    const body = (await res.json()) as { subscribers: Array<{ email: string; status: string }> };
    return body.subscribers.find((s) => s.email === email)?.status;
  }

  it('a reader subscribes through the form, confirms from the mail, and is active', async () => {
    const { context, page, errors, foreign } = await watchedPage(browser, e2e.base.slice(0, -1), 375);
    try {
      await page.goto(`${e2e.base}subscribe`);
      await page.fill('#email', READER);
      await page.check('#cadence-weekly');
      await page.click('button[type="submit"]');
      await expect.poll(() => page.textContent('h1')).toBe('Check your inbox');

      const mail = await waitForMail(e2e.base, (m) => m.to.includes(READER));
      const confirm = linkIn(mail.text, /\/confirm\?token=/);
      expect(new URL(confirm).origin).toBe(new URL(e2e.base).origin);
      await page.goto(confirm);
      // Opening the link changes nothing: mail scanners follow links.
      expect(await subscriberStatus(READER)).toBe('pending');
      await page.click('button[type="submit"]');
      await page.waitForLoadState('load');
      expect(await page.textContent('h1')).toBe('You are subscribed');
      expect(await subscriberStatus(READER)).toBe('active');
      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an editor signs in, imports a list, previews, test-sends and sends the weekly digest', async () => {
    const { page, errors, foreign } = await watchedPage(browser, e2e.base.slice(0, -1), 1024);
    editorPage = page;
    await page.goto(`${e2e.base}editor?token=${encodeURIComponent(e2e.stack.editorToken)}`);
    expect(new URL(page.url()).pathname).toBe('/editor/console');
    expect(page.url()).not.toContain('token=');
    expect(await page.textContent('h1')).toBe('Editions');

    // A second reader, imported with consent: the control that proves the next edition goes out.
    await page.click('a[href="/editor/console/subscribers"]');
    await page.setInputFiles('#file', {
      name: 'list.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`email,cadence\n${CONTROL},weekly\nnot an address,weekly\n`),
    });
    await page.check('#consented');
    await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
    await expect
      .poll(() => page.textContent('.notice'))
      .toContain('1 added as active (consent stated); 0 skipped; 1 rejected.');
    expect(await page.textContent('#import-rejected + p + table')).toContain(
      'email: must contain exactly one @',
    );

    await page.click('a[href="/editor/console"]');
    await page.click('a[href="/editor/console/editions/preview?cadence=weekly"]');
    await page.waitForLoadState('load');
    expect(await page.textContent('h1')).toMatch(/^Preview: /);
    expect(await page.textContent('main')).toContain('2 active weekly subscribers');
    // Both frames show the rendered digest, sandboxed, at their widths.
    const frames = page.frames().filter((f) => f.url().includes('/editor/console/editions/preview.html'));
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      await frame.waitForLoadState('load');
      expect(await frame.textContent('body')).toContain('Talks resume in Geneva');
    }
    const widths = await page.$$eval('.frame iframe', (list) =>
      list.map((f) => f.getBoundingClientRect().width),
    );
    expect(widths).toEqual([600, 375]);
    expect(await page.textContent('pre.text-part')).toContain('Talks resume in Geneva');
    // A full-page screenshot leaves sandboxed frames below the fold blank: a viewport as tall as
    // the page shows both frames painted.
    const viewport = page.viewportSize();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport?.width ?? 1024, height });
    await painted(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-preview-1024.png') });
    if (viewport) await page.setViewportSize(viewport);

    await page.fill('#to', EDITOR);
    await page.click('form[action="/editor/console/editions/test"] button');
    await expect.poll(() => page.textContent('.notice')).toContain(`Test sent to ${EDITOR}.`);
    const test = await waitForMail(e2e.base, (m) => m.to.includes(EDITOR));
    expect(test.subject).toMatch(/^\[TEST\] /);
    expect(
      (await outbox(e2e.base)).filter((m) => m.to.includes(READER) && !/confirm/i.test(m.subject)),
    ).toEqual([]);

    await page.check('#confirm');
    await page.click('form[action="/editor/console/editions/send"] button');
    await page.waitForURL(/\/editor\/console\/editions\/weekly-\d{4}-W\d{2}\?started=new$/);
    expect(await page.textContent('.notice')).toContain('The edition was created and is on its way.');
    // The page follows the sending by itself (console.js), without a reload, or was done already.
    await expect.poll(() => page.textContent('[data-live]'), { timeout: 30_000 }).toBe('Done.');
    expect(await page.textContent('[data-count="planned"]')).toBe('2');
    expect(await page.textContent('[data-count="sent"]')).toBe('2');
    expect(await page.textContent('[data-count="failed"]')).toBe('0');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-progress-1024.png'), fullPage: true });

    digest = await waitForMail(
      e2e.base,
      (m) => m.to.includes(READER) && !m.subject.startsWith('[TEST]') && /Talks resume/.test(m.text),
    );
    await waitForMail(e2e.base, (m) => m.to.includes(CONTROL));
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("the reader's digest links work, a GET never unsubscribes, the one-click POST does", async () => {
    const { context, page, errors } = await watchedPage(browser, e2e.base.slice(0, -1), 375);
    try {
      const view = linkIn(digest.text, /\/editions\/weekly-/);
      const preferences = linkIn(digest.text, /\/preferences\?token=/);
      const unsubscribe = linkIn(digest.text, /\/unsubscribe\?token=/);

      const viewed = await page.goto(view);
      expect(viewed?.status()).toBe(200);
      expect(await page.textContent('body')).toContain('Talks resume in Geneva');

      await page.goto(preferences);
      expect(await page.isChecked('#cadence-weekly')).toBe(true);
      expect(await page.$('button[type="submit"]')).not.toBeNull();

      await page.goto(unsubscribe);
      expect(await page.textContent('button[type="submit"]')).toBe('Unsubscribe');
      expect(await subscriberStatus(READER)).toBe('active');

      // RFC 8058: the List-Unsubscribe URL, POSTed with List-Unsubscribe=One-Click, acts at once.
      const header = /^<(https?:\/\/[^>]+)>$/.exec(digest.headers.get('list-unsubscribe') ?? '');
      expect(header).not.toBeNull();
      expect(digest.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const oneClick = await fetch(header?.[1] as string, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      });
      expect(oneClick.status).toBe(200);
      expect(await subscriberStatus(READER)).toBe('unsubscribed');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the next edition reaches the others but not the reader who unsubscribed', async () => {
    const before = (await outbox(e2e.base)).length;
    e2e.clock.advance(WEEK);
    await e2e.writePost('week-two', {
      title: 'A second round of talks',
      date: new Date(e2e.clock.now().getTime() - 60 * 60 * 1000),
      tags: ['diplomacy'],
      body: 'The delegations met again.',
    });
    await e2e.stack.republish();

    // A week later the console session has expired: sign in again.
    const page = editorPage;
    await page.goto(`${e2e.base}editor/console`);
    expect(await page.textContent('main')).toContain('Sign in with the console link');
    await page.goto(`${e2e.base}editor?token=${encodeURIComponent(e2e.stack.editorToken)}`);
    await page.goto(`${e2e.base}editor/console/editions/preview?cadence=weekly`);
    expect(await page.textContent('main')).toContain('1 active weekly subscriber');
    await page.check('#confirm');
    await page.click('form[action="/editor/console/editions/send"] button');
    await page.waitForURL(/started=new$/);
    await expect.poll(() => page.textContent('[data-live]'), { timeout: 30_000 }).toBe('Done.');
    expect(await page.textContent('[data-count="sent"]')).toBe('1');

    const second = await waitForMail(
      e2e.base,
      (m) => m.to.includes(CONTROL) && /A second round/.test(m.text),
    );
    expect(second.subject).not.toMatch(/^\[TEST\]/);
    const after = (await outbox(e2e.base)).slice(0, (await outbox(e2e.base)).length - before);
    expect(after.filter((m) => m.to.includes(READER))).toEqual([]);
    await page.context().close();
  });
});
