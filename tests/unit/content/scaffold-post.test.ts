import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePost } from '../../../core/content/parse-post.js';
import { scaffoldPost, slugify } from '../../../core/content/scaffold-post.js';
import { isSlug, SLUG_MAX_LENGTH } from '../../../core/content/slugify.js';
import { ContentError } from '../../../core/errors.js';

describe('slugify', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    [
      'Russia won’t rule out military deployments to Cuba and Venezuela',
      'russia-wont-rule-out-military-deployments-to-cuba-and-venezuela',
    ],
    ['Crème brûlée à Paris', 'creme-brulee-a-paris'],
    ['Straße und Øl', 'strasse-und-ol'],
    ['  --Foreign   Policy--  ', 'foreign-policy'],
    ['Ｆｕｌｌｗｉｄｔｈ １２３', 'fullwidth-123'],
    ['日本語のタイトル', 'post'],
    ['!!!', 'post'],
    ['', 'post'],
  ])('%j → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('cuts a long title at a word boundary within the limit', () => {
    const slug = slugify(`${'word '.repeat(30)}end`);
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slug).toMatch(/^(word-)+word$/);
  });

  it('cuts a single very long word at the limit', () => {
    expect(slugify('a'.repeat(200))).toBe('a'.repeat(SLUG_MAX_LENGTH));
  });

  it('always gives a valid slug (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })),
        (title) => {
          expect(isSlug(slugify(title))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on slugs (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (title) => {
        const slug = slugify(title);
        expect(slugify(slug)).toBe(slug);
      }),
    );
  });
});

describe('scaffoldPost', () => {
  const now = new Date('2022-01-12T23:30:00Z');

  it('writes a draft dated today in the publication time zone', () => {
    const file = scaffoldPost('Russia won’t rule out deployments', now, 'Europe/Berlin');
    expect(file).toEqual({
      path: 'posts/russia-wont-rule-out-deployments.md',
      text: [
        '---',
        'title: "Russia won’t rule out deployments"',
        'date: 2022-01-13',
        'summary: "" # one or two sentences for the archive, the feeds and email',
        'tags: []',
        'draft: true # remove this line (or set false) to publish',
        '---',
        '',
        'Write the post here, in Markdown.',
        '',
      ].join('\n'),
    });
  });

  it('uses the local date of the time zone, not UTC', () => {
    expect(scaffoldPost('T', now, 'America/New_York').text).toContain('\ndate: 2022-01-12\n');
    expect(scaffoldPost('T', now, 'Europe/Berlin').text).toContain('\ndate: 2022-01-13\n');
  });

  it('gives a file that parses back to a draft with the same title (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.constantFrom(
            'a: b',
            '"quoted"',
            "it's",
            '# not a comment',
            '- item',
            '[x]',
            '{y}',
            '&a *a',
            '!tag',
            'yes',
            '1e3',
            'null',
            '~',
            'line\nbreak',
            'tab\there',
            '\\n',
          ),
        ),
        (title) => {
          fc.pre(/\S/u.test(title.replace(/\p{Cc}/gu, '')));
          const file = scaffoldPost(title, now, 'Europe/Berlin');
          const parsed = parsePost(file, 'Europe/Berlin');
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          const expected = title
            .replace(/\p{Cc}/gu, ' ')
            .replace(/\s+/g, ' ')
            .trim();
          expect(parsed.value.post).toMatchObject({
            title: expected,
            draft: true,
            tags: [],
            slug: slugify(expected),
          });
          expect(parsed.value.post.summary).toBeUndefined();
          expect(parsed.value.post.date.toISOString()).toBe('2022-01-12T23:00:00.000Z');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a title with nothing visible in it', () => {
    expect(() => scaffoldPost(' \t\n', now, 'Europe/Berlin')).toThrow(ContentError);
    expect(() => scaffoldPost(' \t\n', now, 'Europe/Berlin')).toThrow('posts/post.md: title is required');
  });
});
