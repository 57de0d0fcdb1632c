/** Rendered posts of the test publication as the email tests need them, and a recipient's links. */
import type { ComposeMimeInput } from '../../../core/email/compose-mime.js';
import { listIdFor } from '../../../core/email/list-id.js';
import { compileEdition, personalize } from '../../../core/email/personalize.js';
import { renderEdition } from '../../../core/email/render-edition.js';
import type { RenderedEdition } from '../../../core/email/rendered-mail.js';
import type { RenderedPost } from '../../../core/model.js';
import { emailTemplates, publication } from '../../support/fixtures.js';

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

/** The weekly digest `weekly-2026-W47` of the test publication, rendered once from `posts`. */
export function renderWeeklyDigest(posts: RenderedPost[]): Promise<RenderedEdition> {
  return renderEdition({
    publication,
    templates: emailTemplates,
    editionId: 'weekly-2026-W47',
    kind: 'digest',
    cadence: 'weekly',
    posts,
  });
}

/**
 * What the send worker hands composeMime for `edition` to reader@example.net: the edition
 * personalized with {@link links}, dated Friday 27 November 2026, 07:00 UTC.
 */
export function digestMimeInput(
  edition: RenderedEdition,
  overrides: Partial<ComposeMimeInput> = {},
): ComposeMimeInput {
  const mail = personalize(compileEdition(edition), links);
  return {
    from: publication.email.from,
    replyTo: publication.email.replyTo,
    to: 'reader@example.net',
    subject: edition.subject,
    html: mail.html,
    text: mail.text,
    date: new Date(Date.UTC(2026, 10, 27, 7, 0, 0)),
    messageId: '<weekly-2026-W47.reader@news.example.com>',
    listUnsubscribeUrl: links.unsubscribeUrl,
    listId: listIdFor(publication),
    ...overrides,
  };
}
