/// <reference lib="dom" />
/**
 * The whole product for the browser tests: the local stack (`npm start`'s startLocalStack) on a
 * free port, over a temporary copy of content/ and templates/ and a fresh state folder, with a
 * clock the test can move forward (real time plus an offset), and helpers to read the local
 * outbox and check pages in Chromium.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import PostalMime from 'postal-mime';
import { type LocalStack, startLocalStack } from '../../cli/dev/start-local-stack.js';
import type { Clock } from '../../core/ports.js';
import { repoRoot } from '../support/cli-harness.js';
import { freePort } from '../support/free-port.js';

/** Real time, moved forward on demand (a week later, a second edition). */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface E2eStack {
  stack: LocalStack;
  clock: OffsetClock;
  root: string;
  base: string;
  log: string[];
  /** Writes a post into the copy of content/. */
  writePost(slug: string, input: { title: string; date: Date; tags: string[]; body: string }): Promise<void>;
  stop(): Promise<void>;
}

export async function startE2eStack(): Promise<E2eStack> {
  const root = await mkdtemp(join(tmpdir(), 'gazette-e2e-'));
  await cp(join(repoRoot, 'content'), join(root, 'content'), { recursive: true });
  await cp(join(repoRoot, 'templates'), join(root, 'templates'), { recursive: true });
  const clock = new OffsetClock();
  const log: string[] = [];
  const writePost: E2eStack['writePost'] = async (slug, input) => {
    await mkdir(join(root, 'content', 'posts'), { recursive: true });
    await writeFile(
      join(root, 'content', 'posts', `${slug}.md`),
      `---\ntitle: ${JSON.stringify(input.title)}\ndate: ${input.date.toISOString()}\ntags: [${input.tags.join(', ')}]\n---\n\n${input.body}\n`,
    );
  };
  // A post published an hour ago, so that the week's digest has something to send.
  await writePost('fresh-briefing', {
    title: 'Talks resume in Geneva',
    date: new Date(clock.now().getTime() - 60 * 60 * 1000),
    tags: ['diplomacy'],
    body: 'Negotiators met again on Monday. **Background:** the last round ended without an agreement.',
  });
  const stack = await startLocalStack({
    root,
    stateDir: join(root, '.gazette'),
    port: await freePort(),
    fresh: true,
    watch: false,
    clock,
    log: (line) => log.push(line),
  });
  return {
    stack,
    clock,
    root,
    base: stack.baseUrl,
    log,
    writePost,
    async stop() {
      await stack.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** One message of the local outbox, parsed. */
export interface Mail {
  messageId: string;
  to: string[];
  subject: string;
  raw: string;
  text: string;
  html: string;
  headers: Map<string, string>;
}

/** Every message of the local outbox, newest first, as `/_local/outbox.json` gives it. */
export async function outbox(base: string): Promise<Mail[]> {
  const res = await fetch(`${base}_local/outbox.json`);
  const list = (await res.json()) as Array<{ messageId: string; to: string[]; subject: string; raw: string }>;
  return Promise.all(
    list.map(async (m) => {
      const parsed = await PostalMime.parse(m.raw);
      return {
        ...m,
        text: parsed.text ?? '',
        html: parsed.html ?? '',
        headers: new Map(parsed.headers.map((h) => [h.key, h.value])),
      };
    }),
  );
}

/** Waits until the outbox holds a message that matches, and returns it. */
export async function waitForMail(
  base: string,
  match: (m: Mail) => boolean,
  timeoutMs = 20_000,
): Promise<Mail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await outbox(base)).find(match);
    if (found) return found;
    if (Date.now() > until) {
      const seen = (await outbox(base)).map((m) => `${m.to.join(',')}: ${m.subject}`);
      throw new Error(`no such mail within ${timeoutMs} ms; the outbox holds:\n${seen.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The first link in a text part that matches. */
export function linkIn(text: string, pattern: RegExp): string {
  const link = [...text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0]).find((l) => pattern.test(l));
  if (!link) throw new Error(`no link matching ${pattern} in:\n${text}`);
  return link;
}

/** A page that records console errors, failed responses and requests to any other origin. */
export interface Watched {
  context: BrowserContext;
  page: Page;
  errors: string[];
  foreign: string[];
}

export async function watchedPage(
  browser: Browser,
  origin: string,
  width: number,
  options: { bypassCSP?: boolean } = {},
): Promise<Watched> {
  // axe-core is injected as an inline script, which the app's CSP rightly refuses: checks that
  // run it get a context that ignores the CSP (and do not count CSP errors).
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    // Chromium looks for /favicon.ico on its own when a page names no icon (a mail's web copy);
    // that guess is the browser's, not a resource the page asked for.
    if (/^Failed to load resource/.test(message.text()) && where.endsWith('/favicon.ico')) return;
    errors.push(`${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && url !== 'about:blank') foreign.push(url);
  });
  return { context, page, errors, foreign };
}

/** True when the page is wider than the window (it would scroll sideways). */
export async function scrollsSideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY,
    innerWidth: window.innerWidth,
  }));
}

const axeSource = (await import('node:fs')).readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core's serious and critical violations on the page (WCAG 2 A and AA rules). */
export async function seriousViolations(
  page: Page,
): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            opts: unknown,
          ): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      }
    ).axe;
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Waits for two animation frames, so that frames loaded just now are painted in a screenshot. */
export async function painted(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/** Where screenshots are kept as test artifacts (git-ignored). */
export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
