import { describe, expect, it } from 'vitest';
import { DIGEST_CARD_LIMIT, renderEdition } from '../../../core/email/render-edition.js';
import { emailTemplates, publication } from '../../support/fixtures.js';
import { makeHeavyPosts } from './fixtures.js';

describe('a long digest', () => {
  it('shows the first posts as cards and lists the rest by title, staying under Gmail’s clipping limit', async () => {
    const posts = makeHeavyPosts(30);
    const rendered = await renderEdition({
      publication,
      templates: emailTemplates,
      editionId: 'weekly-2026-W48',
      kind: 'digest',
      cadence: 'weekly',
      posts,
    });
    expect(Buffer.byteLength(rendered.html)).toBeLessThan(102_000);
    expect(rendered.html).toContain('More in this edition');
    // Every post is linked, cards or list.
    for (const post of posts) expect(rendered.html).toContain(post.url);
    // Only the cards carry a "Read more" link.
    expect(rendered.html.match(/aria-label="Read more: /g)?.length).toBe(DIGEST_CARD_LIMIT);
    // The text part lists every post.
    for (const post of posts) expect(rendered.text).toContain(post.title);
  });
});
