import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREFERENCES_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER } from '../../../core/email/placeholders.js';
import { editionUrl, renderEdition } from '../../../core/email/render-edition.js';
import { TemplateError } from '../../../core/errors.js';
import { publication, emailTemplates as templates } from '../../support/fixtures.js';
import { makeHeavyPosts, makePost, makePosts } from './fixtures.js';

function digest(posts = makePosts(3), cadence: 'daily' | 'weekly' | undefined = 'weekly') {
  return renderEdition({
    publication,
    templates,
    editionId: 'weekly-2026-W47',
    kind: 'digest',
    cadence,
    posts,
  });
}

describe('renderEdition: digest', () => {
  it('names the publication, the cadence, the first title and how many more in the subject', async () => {
    expect((await digest()).subject).toBe(
      'Gazette Dispatch — Weekly digest: Note number 1: what we learned and 2 more',
    );
    expect((await digest(makePosts(1), 'daily')).subject).toBe(
      'Gazette Dispatch — Daily digest: Note number 1: what we learned',
    );
  });

  it('puts each post in the HTML: title linking to the post, date, image with alt, summary, read more', async () => {
    const { html } = await digest();
    for (const i of [1, 2, 3]) {
      const url = `https://news.example.com/posts/note-${i}/`;
      expect(html).toContain(
        `href="${url}" style="color:#1f2328;text-decoration:none;">Note number ${i}: what we learned</a>`,
      );
      expect(html).toContain(`November ${20 - i}, 2026`);
    }
    // Post 2 has an image given relative to the publication: it is made absolute.
    expect(html).toMatch(
      /<img[^>]+alt="Illustration for note 2"[^>]+src="https:\/\/news\.example\.com\/images\/note-2\.jpg"/,
    );
    // Characters beyond ASCII are written as references in the HTML (see escape-non-ascii.ts).
    expect(html.match(/>Read more &#8594;<\/a>/g)).toHaveLength(3);
  });

  it('has a hidden preheader with the first post summary, lang, colour-scheme metas and dark-mode CSS', async () => {
    const edition = await digest();
    expect(edition.preheader).toMatch(/^Publishing from plain files keeps every post/);
    expect(edition.html).toMatch(/<div style="display:none;[^"]*">Publishing from plain files/);
    // Padding after the preheader keeps the body's first words out of the preview line.
    expect(edition.html).toContain(`the feeds and the&#8230;${'&#847;&zwnj;&nbsp;'.repeat(40)}</div>`);
    expect(edition.html).toMatch(/<html lang="en" dir="ltr"/);
    expect(edition.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(edition.html).toContain('<meta name="supported-color-schemes" content="light dark">');
    expect(edition.html).toContain('@media (prefers-color-scheme: dark)');
    // No web fonts: a mail must not call anyone home when it is opened.
    expect(edition.html).not.toMatch(/fonts\.googleapis|@import|<link[^>]+stylesheet/);
  });

  it('footer: postal address, unsubscribe, preferences, view in browser, why — in both parts', async () => {
    const { html, text } = await digest();
    const view = editionUrl(publication, 'weekly-2026-W47');
    expect(view).toBe('https://news.example.com/editions/weekly-2026-W47/');
    for (const part of [html, text]) {
      expect(part).toContain(UNSUBSCRIBE_PLACEHOLDER);
      expect(part).toContain(PREFERENCES_PLACEHOLDER);
      expect(part).toContain(view);
      expect(part).toContain('Example Street 1');
      expect(part).toContain('10115 Berlin, Germany');
      expect(part).toMatch(/receiving this email because you subscribed to/);
    }
    expect(html).toContain('Example Street 1<br>10115 Berlin, Germany');
  });

  it('writes a readable text part: numbered titles, dates, wrapped summaries, links written out', async () => {
    const { text } = await digest();
    expect(text).toContain('1. Note number 1: what we learned\nNovember 19, 2026\n');
    expect(text).toContain('Read more: https://news.example.com/posts/note-3/');
    for (const line of text.split('\n')) {
      if (!/^\S+: https?:\/\//.test(line) && !line.includes('PLACEHOLDER'))
        expect(line.length).toBeLessThanOrEqual(72);
    }
    expect(text).not.toMatch(/<[a-z][^>]*>/i);
  });

  it('stays under Gmail’s 102 KB clipping limit with 10 heavy posts (bytes measured)', async () => {
    const { html } = await digest(makeHeavyPosts(10));
    const bytes = Buffer.byteLength(html, 'utf8');
    console.log(`10-post digest HTML: ${bytes} bytes (limit 102,000)`);
    expect(bytes).toBeLessThan(102_000);
    expect(html.match(/<img\s/g)).toHaveLength(10);
  });

  it('writes rtl for right-to-left languages', async () => {
    const edition = await renderEdition({
      publication: { ...publication, language: 'ar' },
      templates,
      editionId: 'daily-2026-11-27',
      kind: 'digest',
      cadence: 'daily',
      posts: makePosts(1),
    });
    expect(edition.html).toMatch(/<html lang="ar" dir="rtl"/);
  });
});

describe('renderEdition: post', () => {
  it('carries the full sanitized body, the title as subject and the summary as preheader', async () => {
    const post = makePost(1, {
      summaryText: 'A short summary.',
      author: 'Ada Editor',
      credit: { name: 'The Source', url: 'https://source.example.org/a' },
    });
    const edition = await renderEdition({
      publication,
      templates,
      editionId: 'post-note-1',
      kind: 'post',
      posts: [post],
    });
    expect(edition.subject).toBe('Note number 1: what we learned');
    expect(edition.preheader).toBe('A short summary.');
    expect(edition.html).toContain(post.html);
    expect(edition.html).toContain('<a href="https://source.example.org/a">The Source</a>');
    expect(edition.text).toContain('A reference\n<https://example.org/reference>');
    expect(edition.text).toContain('[Chart 1]');
    expect(edition.text).toContain('Source: The Source <https://source.example.org/a>');
    expect(edition.text).toContain('chose new posts as they are published');
  });

  it('refuses an empty digest and a post edition with several posts', async () => {
    await expect(digest([])).rejects.toThrow(RangeError);
    await expect(
      renderEdition({ publication, templates, editionId: 'post-x', kind: 'post', posts: makePosts(2) }),
    ).rejects.toThrow(/holds one post, got 2/);
  });
});

describe('renderEdition: hostile content', () => {
  it('escapes titles, summaries and alt texts; only the sanitized body goes in raw', async () => {
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const post = makePost(2, { title: evil, summaryText: evil, image: { src: '/a.png', alt: evil } });
    const { html, subject } = await digest([post]);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toMatch(/<img src=x/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(subject).toContain(evil);
  });

  it('drops an image whose URL is not http(s)', async () => {
    const post = makePost(2, { image: { src: 'javascript:alert(1)', alt: 'x' } });
    const { html } = await digest([post]);
    expect(html).not.toContain('javascript:');
  });

  it('flattens line breaks and control characters out of the subject', async () => {
    const post = makePost(1, { title: 'Hello\r\nBcc: victim@example.com\u2028\u0000there' });
    const edition = await renderEdition({
      publication,
      templates,
      editionId: 'post-x',
      kind: 'post',
      posts: [post],
    });
    expect(edition.subject).toBe('Hello Bcc: victim@example.com there');
  });

  it('property: any title and summary end up escaped in the HTML, never as markup', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 60 }), async (title, summary) => {
        const post = makePost(1, { title: `${title}<b>x</b>`, summaryText: `${summary}<i onclick="y">` });
        const { html } = await digest([post]);
        expect(html).not.toContain('<b>x</b>');
        expect(html).not.toContain('<i onclick');
      }),
      { numRuns: 25 },
    );
  });
});

describe('templates are validated strictly', () => {
  it('every mail template (an .mjml that uses the layout) is one these tests render', () => {
    const mails = Object.keys(templates)
      .filter((name) => name.endsWith('.mjml') && templates[name]?.includes("{% layout 'layout.mjml' %}"))
      .map((name) => name.slice(0, -5))
      .sort();
    // digest and post here, confirm in confirmation.test.ts: all through compileMjml's strict validation.
    expect(mails).toEqual(['confirm', 'digest', 'post']);
  });

  it('a template that is invalid MJML throws a TemplateError naming it and the line', async () => {
    const broken = {
      ...templates,
      'digest.mjml': templates['digest.mjml']!.replace(
        '<mj-text css-class="gz-text gz-title">',
        '<mj-section><mj-text>nested</mj-text></mj-section><mj-text css-class="gz-text gz-title">',
      ),
    };
    const error = await renderEdition({
      publication,
      templates: broken,
      editionId: 'w',
      kind: 'digest',
      posts: makePosts(1),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toMatch(/^digest\.mjml: invalid MJML/);
    expect((error as Error).message).toMatch(
      /line \d+ \(mj-section\): mj-section cannot be used inside mj-column/,
    );
  });

  it('a Liquid error throws a TemplateError naming the template', async () => {
    const broken = { ...templates, 'post.mjml': `${templates['post.mjml']}{{ post.nosuchfield }}` };
    await expect(
      renderEdition({ publication, templates: broken, editionId: 'p', kind: 'post', posts: makePosts(1) }),
    ).rejects.toThrow(/^post\.mjml: .*undefined variable: post\.nosuchfield/);
  });

  it('a missing template or a footer without the unsubscribe link is a TemplateError', async () => {
    const { 'digest.txt.liquid': _gone, ...without } = templates;
    await expect(
      renderEdition({ publication, templates: without, editionId: 'w', kind: 'digest', posts: makePosts(1) }),
    ).rejects.toThrow(/digest\.txt\.liquid: template missing/);
    const noUnsubscribe = {
      ...templates,
      'footer.mjml': templates['footer.mjml']!.replace('{{ links.unsubscribe }}', '{{ publication.url }}'),
    };
    await expect(
      renderEdition({
        publication,
        templates: noUnsubscribe,
        editionId: 'w',
        kind: 'digest',
        posts: makePosts(1),
      }),
    ).rejects.toThrow(/digest\.mjml: the html part has no unsubscribe link/);
  });
});
