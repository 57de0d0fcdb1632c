import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { RenderedPost } from '../../../core/model.js';
import { renderPost } from '../../../core/render/render-post.js';
import { type JsonFeed, renderFeeds, renderTagFeed } from '../../../core/site/render-feeds.js';
import { post, publication, renderedFixture } from './fixtures.js';

const parser = new Parser();
const pub = publication();
const posts = renderedFixture(pub);
const feeds = renderFeeds(pub, posts);

function xml(text: string) {
  return new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true }).parse(text);
}

describe('RSS 2.0 (feed.xml)', () => {
  it('is well-formed', () => {
    expect(XMLValidator.validate(feeds.rss)).toBe(true);
  });

  it('reads back with a feed parser: titles, links, guids and dates', async () => {
    const feed = await parser.parseString(feeds.rss);
    expect(feed.title).toBe('The Quiet Gazette');
    expect(feed.link).toBe('https://gazette.example/');
    // A `<` in an RSS title is written as `&lt;`, so that no reader can take the title for markup.
    expect(feed.items.map((i) => i.title)).toEqual(posts.map((p) => p.title.replace(/</g, '&lt;')));
    expect(feed.items.map((i) => i.link)).toEqual(posts.map((p) => p.url));
    expect(feed.items.map((i) => i.guid)).toEqual(posts.map((p) => p.url));
    expect(feed.items.map((i) => i.isoDate)).toEqual(posts.map((p) => p.date.toISOString()));
    expect(feed.items.map((i) => i.categories)).toEqual(posts.map((p) => p.tags));
  });

  it('declares itself with atom:link rel="self", permalink guids and RFC 822 dates with a zone', () => {
    const channel = xml(feeds.rss).rss.channel;
    expect(channel['atom:link']).toMatchObject({
      '@_href': 'https://gazette.example/feed.xml',
      '@_rel': 'self',
      '@_type': 'application/rss+xml',
    });
    const first = channel.item[0];
    expect(first.guid).toEqual({
      '#text': 'https://gazette.example/posts/maps-that-lie/',
      '@_isPermaLink': 'true',
    });
    expect(first.pubDate).toBe('Wed, 02 Mar 2022 18:30:00 GMT');
    expect(channel.lastBuildDate).toBe('Fri, 04 Mar 2022 08:15:00 GMT');
  });

  it('carries the full HTML in content:encoded, the image as enclosure, the summary as description', () => {
    const first = xml(feeds.rss).rss.channel.item[0];
    expect(first['content:encoded']).toContain(posts[0]?.html);
    expect(first['content:encoded']).toMatch(
      /^<figure><img src="https:\/\/gazette\.example\/images\/mercator\.jpg" alt="A Mercator world map/,
    );
    expect(first.enclosure).toEqual({
      '@_url': 'https://gazette.example/images/mercator.jpg',
      '@_type': 'image/jpeg',
      '@_length': '0',
    });
    expect(first.description).toBe(posts[0]?.summaryText);
    const second = xml(feeds.rss).rss.channel.item[1];
    expect(second['content:encoded']).toContain(
      '<p>Source: <a href="https://bridges.example/issue/7">The Bridge Review</a></p>',
    );
  });

  it('carries only summaries when the publication says so', async () => {
    const summaryPub = publication({ feed: { items: 20, content: 'summary' } });
    const out = renderFeeds(summaryPub, renderedFixture(summaryPub));
    expect(out.rss).not.toContain('content:encoded');
    const feed = await parser.parseString(out.rss);
    expect(feed.items[0]?.content).toBe(posts[0]?.summaryText);
    const json = JSON.parse(out.json) as JsonFeed;
    expect(json.items[0]?.content_html).toBeUndefined();
    expect(json.items[0]?.content_text).toBe(posts[0]?.summaryText);
  });

  it('keeps only the newest `feed.items` posts, newest first whatever the input order', async () => {
    const many: RenderedPost[] = Array.from({ length: 30 }, (_, i) =>
      renderPost(post({ slug: `p${i}`, date: new Date(Date.UTC(2023, 0, i + 1)) }), pub),
    );
    const limited = renderFeeds(publication({ feed: { items: 5, content: 'full' } }), many.reverse());
    const feed = await parser.parseString(limited.rss);
    expect(feed.items.map((i) => i.guid)).toEqual(
      ['p29', 'p28', 'p27', 'p26', 'p25'].map((s) => `https://gazette.example/posts/${s}/`),
    );
    expect((JSON.parse(limited.json) as JsonFeed).items).toHaveLength(5);
    expect(xml(limited.atom).feed.entry).toHaveLength(5);
  });
});

describe('Atom 1.0 (atom.xml)', () => {
  it('is well-formed', () => {
    expect(XMLValidator.validate(feeds.atom)).toBe(true);
  });

  it('reads back with a feed parser: titles, links, ids and dates', async () => {
    const feed = await parser.parseString(feeds.atom);
    expect(feed.title).toBe('The Quiet Gazette');
    expect(feed.items.map((i) => i.link)).toEqual(posts.map((p) => p.url));
    expect(feed.items.map((i) => i.id)).toEqual(posts.map((p) => p.url));
    // rss-parser reads an entry's `published`, falling back to `updated`.
    expect(feed.items.map((i) => i.isoDate)).toEqual(posts.map((p) => p.date.toISOString()));
  });

  it('has an id, updated = newest change, self and alternate links, typed titles', () => {
    const feed = xml(feeds.atom).feed;
    expect(feed.id).toBe('https://gazette.example/');
    expect(feed.updated).toBe('2022-03-04T08:15:00.000Z');
    expect(feed.link).toEqual([
      { '@_rel': 'alternate', '@_href': 'https://gazette.example/' },
      { '@_rel': 'self', '@_href': 'https://gazette.example/atom.xml' },
    ]);
    const first = feed.entry[0];
    expect(first.title).toEqual({
      '#text': 'Maps that lie, &amp; why we &lt;love&gt; them',
      '@_type': 'html',
    });
    expect(first.published).toBe('2022-03-02T18:30:00.000Z');
    expect(first.updated).toBe('2022-03-04T08:15:00.000Z');
    expect(first.author).toEqual({ name: 'Ada Quill' });
    expect(feed.entry[1].author).toEqual({ name: 'Sam Ferry' });
  });
});

describe('JSON Feed 1.1 (feed.json)', () => {
  const json = JSON.parse(feeds.json) as JsonFeed;

  it('has the required top-level fields of version 1.1', () => {
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.title).toBe('The Quiet Gazette');
    expect(json.home_page_url).toBe('https://gazette.example/');
    expect(json.feed_url).toBe('https://gazette.example/feed.json');
    expect(json.language).toBe('en-GB');
    expect(json.authors).toEqual([{ name: 'Ada Quill', url: 'https://gazette.example/about/' }]);
    expect(Array.isArray(json.items)).toBe(true);
  });

  it('gives every item an id and content, plus url, title, summary, dates and tags', () => {
    for (const [i, item] of json.items.entries()) {
      const source = posts[i]!;
      expect(typeof item.id).toBe('string');
      expect(item.content_html ?? item.content_text).toBeTruthy();
      expect(item).toMatchObject({
        id: source.url,
        url: source.url,
        title: source.title,
        summary: source.summaryText,
        date_published: source.date.toISOString(),
        date_modified: (source.updated ?? source.date).toISOString(),
        tags: source.tags,
      });
      expect(item.content_html).toContain(source.html);
      expect(Number.isNaN(Date.parse(item.date_published))).toBe(false);
    }
    expect(json.items[0]?.image).toBe('https://gazette.example/images/mercator.jpg');
    expect(json.items[1]?.authors).toEqual([{ name: 'Sam Ferry' }]);
  });
});

describe('tag feeds (tags/<tag>/feed.xml)', () => {
  it('carries only the posts with the tag, with the tag page as link and itself as self', async () => {
    const rss = renderTagFeed(pub, 'Maps', posts);
    expect(XMLValidator.validate(rss)).toBe(true);
    const feed = await parser.parseString(rss);
    expect(feed.title).toBe('The Quiet Gazette: Maps');
    expect(feed.link).toBe('https://gazette.example/tags/maps/');
    expect(feed.items.map((i) => i.guid)).toEqual([
      'https://gazette.example/posts/maps-that-lie/',
      'https://gazette.example/posts/longest-street-names/',
    ]);
    expect(xml(rss).rss.channel['atom:link']['@_href']).toBe('https://gazette.example/tags/maps/feed.xml');
  });
});

describe('determinism', () => {
  it('gives the same bytes for the same posts, whatever their order', () => {
    const again = renderFeeds(pub, [...renderedFixture(pub)].reverse());
    expect(again).toEqual(feeds);
  });

  it('never uses the current time, even with no post at all', () => {
    const empty = renderFeeds(pub, []);
    expect(empty.rss).toContain('<lastBuildDate>Thu, 01 Jan 1970 00:00:00 GMT</lastBuildDate>');
    expect(empty.atom).toContain('<updated>1970-01-01T00:00:00.000Z</updated>');
    expect(XMLValidator.validate(empty.rss)).toBe(true);
    expect(XMLValidator.validate(empty.atom)).toBe(true);
    expect((JSON.parse(empty.json) as JsonFeed).items).toEqual([]);
  });

  it('leaves out an image with a refused URL', () => {
    const evil = renderPost(post({ slug: 'x', image: { src: 'javascript:alert(1)', alt: 'x' } }), pub);
    const out = renderFeeds(pub, [evil]);
    expect(out.rss).not.toContain('javascript:');
    expect(out.atom).not.toContain('javascript:');
    expect(out.json).not.toContain('javascript:');
  });
});
