import { describe, expect, it } from 'vitest';
import type { Post } from '../../../core/model.js';
import { publishedTopics } from '../../../core/subscriptions/published-topics.js';

const post = (slug: string, date: string, tags: string[], draft = false): Post => ({
  slug,
  title: slug,
  date: new Date(date),
  tags,
  draft,
  body: '',
  source: { file: `posts/${slug}.md`, bodyLine: 1 },
});

describe('publishedTopics', () => {
  it('collects the tags of published posts only, unique and sorted', () => {
    const posts = [
      post('a', '2026-11-01T00:00:00Z', ['security', 'europe']),
      post('b', '2026-11-02T00:00:00Z', ['europe', 'trade']),
      post('draft', '2026-11-01T00:00:00Z', ['secret-draft'], true),
      post('future', '2026-12-01T00:00:00Z', ['embargoed']),
    ];
    expect(publishedTopics(posts, new Date('2026-11-27T00:00:00Z'))).toEqual(['europe', 'security', 'trade']);
    expect(publishedTopics(posts, new Date('2026-12-02T00:00:00Z'))).toContain('embargoed');
  });
});
