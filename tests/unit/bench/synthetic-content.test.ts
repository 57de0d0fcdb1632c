import { describe, expect, it } from 'vitest';
import {
  AFTER_ALL_POSTS,
  editBody,
  renderSyntheticPosts,
  syntheticContent,
  syntheticPost,
} from '../../../bench/publishing/synthetic-content.js';
import { loadContent } from '../../../core/content/load-content.js';
import { selectPublished } from '../../../core/content/select-published.js';

describe('synthetic content for the benchmarks', () => {
  const { files, posts } = syntheticContent(60, { feedItems: 25 });

  it('is content Gazette accepts, every post due after the last one', () => {
    const content = loadContent(files);
    expect(content.posts).toHaveLength(60);
    expect(content.publication.feed).toEqual({ items: 25, content: 'full' });
    expect(selectPublished(content.posts, AFTER_ALL_POSTS)).toHaveLength(60);
  });

  it('gives posts of 600 to 1,500 words with the parts a real post has', () => {
    for (const post of posts) {
      expect(post.words).toBeGreaterThanOrEqual(600);
      expect(post.words).toBeLessThanOrEqual(1600);
      expect(post.text).toMatch(/^## /m);
      expect(post.text).toMatch(/^- /m);
      expect(post.text).toMatch(/!\[[^\]]+\]\(\/images\//);
      expect(post.text).toMatch(/\]\(https:\/\/www\.example\.org\//);
      expect(post.tags.length).toBeGreaterThanOrEqual(1);
      expect(post.tags.length).toBeLessThanOrEqual(3);
    }
  });

  it('is the same on every call, newest first, with distinct slugs', () => {
    expect(syntheticPost(7)).toEqual(syntheticPost(7));
    expect(new Set(posts.map((p) => p.slug)).size).toBe(posts.length);
    for (let i = 1; i < posts.length; i++) {
      expect(posts[i]!.date.getTime()).toBeLessThan(posts[i - 1]!.date.getTime());
    }
  });

  it('renders as a build renders: sanitized HTML with absolute image URLs and heading anchors', () => {
    const { posts: rendered } = renderSyntheticPosts(3, { feedItems: 20 });
    expect(rendered).toHaveLength(3);
    for (const post of rendered) {
      expect(post.html).toContain('<img src="https://bench.example.com/images/');
      expect(post.html).toContain('class="header-anchor"');
      expect(post.summaryText.length).toBeGreaterThan(20);
    }
  });

  it('edits a body without touching the front matter', () => {
    const post = syntheticPost(0);
    const edited = editBody(post.text, 'A new paragraph.');
    expect(edited.startsWith(post.text.trimEnd())).toBe(true);
    expect(edited.endsWith('\n\nA new paragraph.\n')).toBe(true);
    const [before, after] = [
      loadContent([files[0]!, { path: post.path, text: post.text }]),
      loadContent([files[0]!, { path: post.path, text: edited }]),
    ];
    expect(after.posts[0]!.summary).toBe(before.posts[0]!.summary);
    expect(after.posts[0]!.body).not.toBe(before.posts[0]!.body);
  });
});
