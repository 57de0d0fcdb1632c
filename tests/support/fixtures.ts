/**
 * The test publication, its posts and the repository's templates, shared by the unit,
 * integration and end-to-end tests (the site goldens keep their own publication in
 * tests/unit/site/fixtures.ts: theirs is the input of those files).
 */
import { join } from 'node:path';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import type { EmailTemplates } from '../../core/email/rendered-mail.js';
import { emailKeyOf } from '../../core/email-key.js';
import type { Post, Publication, RenderedPost } from '../../core/model.js';
import type { SiteTemplates } from '../../core/site/site-templates.js';
import type { Subscriber } from '../../core/subscriber.js';
import { shardOf } from '../../core/subscriptions/subscribe.js';

/** Gazette Dispatch: Berlin time, a daily digest at 07:00 and a weekly one on Fridays at 09:00. */
export const publication: Publication = {
  title: 'Gazette Dispatch',
  description: 'Notes on publishing, from the Gazette team.',
  url: 'https://news.example.com/',
  language: 'en',
  timeZone: 'Europe/Berlin',
  author: { name: 'Ada Editor' },
  email: {
    from: { name: 'Gazette Dispatch', address: 'dispatch@news.example.com' },
    replyTo: 'editor@news.example.com',
  },
  postalAddress: 'Gazette Dispatch\nExample Street 1\n10115 Berlin, Germany',
  schedule: {
    daily: { time: '07:00', timeZone: 'Europe/Berlin' },
    weekly: { time: '09:00', timeZone: 'Europe/Berlin', day: 'friday' },
  },
  feed: { items: 20, content: 'full' },
};

/** The test publication served from `url` (an app on 127.0.0.1), so every link in its mail leads there. */
export function publicationAt(url: string): Publication {
  return { ...publication, url };
}

/** A post as written in content/posts/: `Title of <slug>`, a one-sentence body, tagged `europe`. */
export function writtenPost(slug: string, date: Date | string, extra: Partial<Post> = {}): Post {
  return {
    slug,
    title: `Title of ${slug}`,
    date: new Date(date),
    tags: ['europe'],
    draft: false,
    body: `Body of ${slug}.`,
    source: { file: `posts/${slug}.md`, bodyLine: 6 },
    ...extra,
  };
}

/** A published post as core/render gives it, made by hand (no Markdown involved), linked under `pub`. */
export function renderedPost(
  slug: string,
  date: Date | string,
  tags: string[] = ['europe'],
  pub: Publication = publication,
): RenderedPost {
  return {
    ...writtenPost(slug, date, { tags }),
    html: `<p>Body of ${slug}.</p>`,
    summaryText: `Summary of ${slug}.`,
    url: `${pub.url}posts/${slug}/`,
  };
}

/**
 * A subscriber as subscribing and confirming leave the record: active, weekly, every topic,
 * consented on the subscribe page at `at`; `fields` replace any of that.
 */
export function makeSubscriber(
  email: string,
  id: string,
  at: string,
  fields: Partial<Subscriber> = {},
): Subscriber {
  return {
    emailKey: emailKeyOf(email),
    id,
    email,
    status: 'active',
    cadence: 'weekly',
    topics: [],
    consent: { at, form: 'subscribe-page', ipHash: '', userAgent: 'test' },
    createdAt: at,
    updatedAt: at,
    softBounces: 0,
    shard: shardOf(id),
    version: 1,
    ...fields,
  };
}

const templates = await readTemplates(join(import.meta.dirname, '..', '..', 'templates'));

/** templates/email, read by the loader the CLI and the handlers use. */
export const emailTemplates: EmailTemplates = templates.email;

/** templates/site, read by the loader the CLI and the handlers use. */
export const siteTemplates: SiteTemplates = templates.site;
