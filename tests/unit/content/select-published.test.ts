import { describe, expect, it } from 'vitest';
import { isDue, selectPublished } from '../../../core/content/select-published.js';
import type { Post } from '../../../core/model.js';

function post(slug: string, date: string, draft = false): Post {
  return {
    slug,
    title: slug,
    date: new Date(date),
    tags: [],
    draft,
    body: 'Body.',
    source: { file: `posts/${slug}.md`, bodyLine: 5 },
  };
}

const now = new Date('2022-01-13T12:00:00Z');

describe('isDue', () => {
  it('is true for a post dated at or before now, false after', () => {
    expect(isDue(post('past', '2022-01-13T11:59:59Z'), now)).toBe(true);
    expect(isDue(post('exact', '2022-01-13T12:00:00Z'), now)).toBe(true);
    expect(isDue(post('future', '2022-01-13T12:00:01Z'), now)).toBe(false);
  });

  it('is false for a draft, whatever its date', () => {
    expect(isDue(post('draft', '2020-01-01T00:00:00Z', true), now)).toBe(false);
  });
});

describe('selectPublished', () => {
  const posts = [
    post('older', '2022-01-10T08:00:00Z'),
    post('draft', '2022-01-11T08:00:00Z', true),
    post('future', '2022-01-14T08:00:00Z'),
    post('zulu', '2022-01-12T08:00:00Z'),
    post('alpha', '2022-01-12T08:00:00Z'),
    post('newest', '2022-01-13T11:00:00Z'),
  ];

  it('leaves out drafts and future posts, newest first, same instant by slug', () => {
    expect(selectPublished(posts, now).map((p) => p.slug)).toEqual(['newest', 'alpha', 'zulu', 'older']);
  });

  it('lets a future post in once its time has come', () => {
    const later = new Date('2022-01-14T08:00:00Z');
    expect(selectPublished(posts, later).map((p) => p.slug)).toEqual([
      'future',
      'newest',
      'alpha',
      'zulu',
      'older',
    ]);
  });

  it('gives the same order whatever the input order', () => {
    const reversed = selectPublished([...posts].reverse(), now).map((p) => p.slug);
    expect(reversed).toEqual(selectPublished(posts, now).map((p) => p.slug));
  });

  it('does not reorder the array it is given', () => {
    const input = [...posts];
    selectPublished(input, now);
    expect(input).toEqual(posts);
  });
});
