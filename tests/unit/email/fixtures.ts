/** Shared fixtures for the email tests: a publication, rendered posts, the real templates. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { EmailTemplates } from '../../../core/email/rendered-mail.js';
import type { Publication, RenderedPost } from '../../../core/model.js';

export const TEMPLATES_DIR = join(import.meta.dirname, '..', '..', '..', 'templates', 'email');

/** Every file under templates/email, by its `/`-separated name. */
export function loadTemplates(dir = TEMPLATES_DIR): EmailTemplates {
  const out: EmailTemplates = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

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
    weekly: { time: '08:00', timeZone: 'Europe/Berlin', day: 'friday' },
  },
  feed: { items: 20, content: 'full' },
};

const LOREM =
  'Publishing from plain files keeps every post in version control, reviewable and easy to move. ' +
  'This note explains how the archive, the feeds and the mail are made from the same source.';

/** A rendered post as core/render would give it, built by hand for the tests. */
export function makePost(i: number, overrides: Partial<RenderedPost> = {}): RenderedPost {
  const slug = `note-${i}`;
  const url = `${publication.url}posts/${slug}/`;
  return {
    slug,
    title: `Note number ${i}: what we learned`,
    date: new Date(Date.UTC(2026, 10, 20 - i, 9, 30)),
    tags: ['publishing'],
    draft: false,
    body: `Body of note ${i}.`,
    source: { file: `posts/${slug}.md`, bodyLine: 6 },
    summary: undefined,
    image: i % 2 === 0 ? { src: `/images/${slug}.jpg`, alt: `Illustration for note ${i}` } : undefined,
    html:
      `<h2 id="intro"><a class="header-anchor" href="${url}#intro">Intro</a></h2>` +
      `<p>${LOREM} <a href="https://example.org/reference">A reference</a>.</p>` +
      `<p><img src="${publication.url}images/${slug}-inline.png" alt="Chart ${i}"></p>` +
      '<pre><code>npm start\n</code></pre>',
    summaryText: LOREM,
    url,
    ...overrides,
  };
}

export function makePosts(n: number): RenderedPost[] {
  return Array.from({ length: n }, (_, i) => makePost(i + 1));
}

/** The recipient's links as the send worker would sign them. */
export const links = {
  unsubscribeUrl: 'https://news.example.com/unsubscribe?token=eyJwIjoidSJ9.c2ln&src=mail',
  preferencesUrl: 'https://news.example.com/preferences?token=eyJwIjoicCJ9.c2ln',
};

/** A digest of `n` posts, every one with an image, a long title and a summary at its 280-character cap. */
export function makeHeavyPosts(n: number): RenderedPost[] {
  const summary =
    `${'Every edition is rendered once and personalized per reader by splicing strings, so ten thousand readers cost ten thousand string joins. '.repeat(3)}`.slice(
      0,
      279,
    );
  return Array.from({ length: n }, (_, i) =>
    makePost(i + 1, {
      title: `A fairly long post title, number ${i + 1}, about rendering newsletters once and sending them fast`,
      summaryText: `${summary}…`,
      image: {
        src: `https://cdn.news.example.com/images/2026/11/a-rather-long-image-file-name-${i + 1}.jpg`,
        alt: `A descriptive alternative text for the image of post ${i + 1}`,
      },
      author: 'Ada Editor',
    }),
  );
}
