import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ContentError, TemplateError } from '../../../core/errors.js';
import type { RenderedPost } from '../../../core/model.js';
import { renderPost } from '../../../core/render/render-post.js';
import { buildSite, cadenceOptions, type SiteFile } from '../../../core/site/build-site.js';
import { siteTemplates as templates } from '../../support/fixtures.js';
import { ARTICLE_TAGS, startTags, unsafeParts, XSS_VECTORS } from '../render/xss-vectors.js';
import { fixturePosts, post, publication, renderedFixture } from './fixtures.js';

const pub = publication();
const posts = renderedFixture(pub);

function byPath(files: SiteFile[]): Map<string, SiteFile> {
  return new Map(files.map((f) => [f.path, f]));
}

function page(files: Map<string, SiteFile>, path: string): string {
  const file = files.get(path);
  if (!file) throw new Error(`no ${path} among ${[...files.keys()].join(', ')}`);
  return file.body;
}

/** Tags the page templates write, on top of the article's own. */
const PAGE_TAGS = new Set([
  ...ARTICLE_TAGS,
  'html',
  'head',
  'meta',
  'title',
  'link',
  'body',
  'header',
  'nav',
  'main',
  'footer',
  'section',
  'article',
  'time',
  'form',
  'label',
  'input',
  'select',
  'option',
  'button',
]);

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return String((value as Record<string, unknown>)['#text'] ?? '');
}

/**
 * What is unsafe in a feed, field by field: HTML fields (RSS description and content, Atom
 * html-typed title, summary and content, JSON content_html) must be clean HTML; an RSS title
 * must hold no markup at all; no URL attribute may carry a refused scheme.
 */
function feedProblems(file: SiteFile): string[] {
  const problems: string[] = [];
  const html = (value: string, where: string) =>
    problems.push(...unsafeParts(value, ARTICLE_TAGS).map((p) => `${where}: ${p}`));
  if (file.path.endsWith('.json')) {
    const json = JSON.parse(file.body) as { items: Array<{ content_html?: string; image?: string }> };
    for (const item of json.items) {
      html(item.content_html ?? '', 'content_html');
      if (item.image && !/^https?:/.test(item.image)) problems.push(`image ${item.image}`);
    }
    return problems;
  }
  if (XMLValidator.validate(file.body) !== true) return ['not well-formed'];
  const doc = xml.parse(file.body);
  for (const item of asArray(doc.rss?.channel?.item)) {
    if (/</.test(text(item.title))) problems.push(`RSS title with markup: ${text(item.title)}`);
    html(text(item.description), 'description');
    html(text(item['content:encoded']), 'content:encoded');
  }
  for (const entry of asArray(doc.feed?.entry)) {
    for (const field of ['title', 'summary', 'content']) html(text(entry[field]), `atom ${field}`);
  }
  for (const tag of startTags(file.body)) {
    for (const a of tag.attributes) {
      if (['href', 'url', 'src', 'uri'].includes(a.name) && !/^https?:/.test(a.value)) {
        problems.push(`<${tag.name} ${a.name}="${a.value}">`);
      }
    }
  }
  return problems;
}

describe('buildSite', async () => {
  const files = await buildSite({ publication: pub, posts, templates });
  const site = byPath(files);

  it('writes every page and feed, sorted by path, with its content type', () => {
    expect(files.map((f) => [f.path, f.contentType])).toEqual([
      ['404.html', 'text/html; charset=utf-8'],
      ['assets/favicon.svg', 'image/svg+xml; charset=utf-8'],
      ['assets/style.css', 'text/css; charset=utf-8'],
      ['atom.xml', 'application/atom+xml; charset=utf-8'],
      ['feed.json', 'application/feed+json; charset=utf-8'],
      ['feed.xml', 'application/rss+xml; charset=utf-8'],
      ['index.html', 'text/html; charset=utf-8'],
      ['posts/city-of-bridges/index.html', 'text/html; charset=utf-8'],
      ['posts/longest-street-names/index.html', 'text/html; charset=utf-8'],
      ['posts/maps-that-lie/index.html', 'text/html; charset=utf-8'],
      ['tags/cities/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['tags/cities/index.html', 'text/html; charset=utf-8'],
      ['tags/design/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['tags/design/index.html', 'text/html; charset=utf-8'],
      ['tags/maps/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['tags/maps/index.html', 'text/html; charset=utf-8'],
    ]);
    expect(page(site, 'assets/style.css')).toBe(templates['style.css']);
  });

  it('gives the same bytes for the same input, in any order', async () => {
    const again = await buildSite({
      publication: pub,
      posts: [...renderedFixture(pub)].reverse(),
      templates,
    });
    expect(again).toEqual(files);
  });

  describe.each(files.filter((f) => f.path.endsWith('.html')).map((f) => f.path))('%s', (path) => {
    const html = page(site, path);

    it('has lang, charset, viewport, color-scheme, the stylesheet and the landmarks', () => {
      expect(html).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).toContain('<meta name="color-scheme" content="light dark">');
      expect(html).toContain('<link rel="stylesheet" href="/assets/style.css">');
      for (const landmark of [
        '<header class="site-header">',
        '<nav aria-label="Site">',
        '<main id="content"',
        '<footer',
      ]) {
        expect(html).toContain(landmark);
      }
      expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    });

    it('announces the three feeds', () => {
      expect(html).toContain(
        '<link rel="alternate" type="application/rss+xml" title="The Quiet Gazette (RSS)" href="https://gazette.example/feed.xml">',
      );
      expect(html).toContain('type="application/atom+xml"');
      expect(html).toContain('type="application/feed+json"');
    });

    it('makes no external request and holds nothing the CSP would block', () => {
      expect(unsafeParts(html, PAGE_TAGS)).toEqual([]);
      expect(html).not.toMatch(/<script|<style|<iframe|@import|\sstyle=/i);
      // Only images may load from elsewhere, and only from the publication's own origin.
      for (const tag of startTags(html)) {
        const src = tag.attributes.find((a) => a.name === 'src')?.value;
        if (src) expect(src.startsWith('https://gazette.example/')).toBe(true);
        if (tag.name === 'link' && tag.attributes.some((a) => a.value === 'stylesheet')) {
          expect(tag.attributes.find((a) => a.name === 'href')?.value).toBe('/assets/style.css');
        }
      }
    });

    it('gives every form field a label', () => {
      for (const tag of startTags(html).filter((t) => t.name === 'input' || t.name === 'select')) {
        const id = tag.attributes.find((a) => a.name === 'id')?.value;
        expect(id).toBeTruthy();
        expect(html).toContain(`<label for="${id}">`);
      }
    });
  });

  it('lists the posts newest first on the index, with date, summary and tags', () => {
    const html = page(site, 'index.html');
    const order = ['maps-that-lie', 'city-of-bridges', 'longest-street-names'].map((slug) =>
      html.indexOf(`href="/posts/${slug}/"`),
    );
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain(
      '<h3><a href="/posts/maps-that-lie/">Maps that lie, &amp; why we &lt;love&gt; them</a></h3>',
    );
    expect(html).toContain('<time datetime="2022-03-02T18:30:00.000Z">2 March 2022</time>');
    expect(html).toContain(
      '<p class="post-summary">Every map is an argument. A short tour of the honest lies cartographers tell.</p>',
    );
    expect(html).toContain('<li><a href="/tags/design/">Design</a></li>');
    expect(html).toContain('<link rel="canonical" href="https://gazette.example/">');
  });

  it('has a subscribe form posting email, cadence and a hidden honeypot to /subscribe', () => {
    const html = page(site, 'index.html');
    expect(html).toContain('<form method="post" action="/subscribe">');
    expect(html).toContain('<label for="email">Email address</label>');
    expect(html).toContain('<input id="email" name="email" type="email" required autocomplete="email"');
    expect(html).toContain('<select id="cadence" name="cadence">');
    expect(html).toContain('<option value="immediate">');
    expect(html).toContain('<option value="daily">');
    expect(html).toContain('<option value="weekly" selected>');
    expect(html).toContain('<div class="hp" aria-hidden="true">');
    expect(html).toContain(
      '<input id="website" name="website" type="text" tabindex="-1" autocomplete="off">',
    );
    expect(html).toContain('<button type="submit">Subscribe</button>');
  });

  it('offers only the cadences the publication schedules', () => {
    expect(cadenceOptions(publication({ schedule: {} })).map((o) => [o.value, o.selected])).toEqual([
      ['immediate', true],
    ]);
    expect(
      cadenceOptions(publication({ schedule: { daily: { time: '06:00', timeZone: 'Asia/Tokyo' } } })).map(
        (o) => o.label,
      ),
    ).toEqual(['Every post, as it comes out', 'Daily digest, at 06:00 (Asia/Tokyo)']);
  });

  it('renders a post page with title, time, author, tags, credit, canonical, description and Open Graph', () => {
    const html = page(site, 'posts/maps-that-lie/index.html');
    for (const fragment of [
      '<title>Maps that lie, &amp; why we &lt;love&gt; them · The Quiet Gazette</title>',
      '<meta name="description" content="Every map is an argument. A short tour of the honest lies cartographers tell.">',
      '<link rel="canonical" href="https://gazette.example/posts/maps-that-lie/">',
      '<meta property="og:type" content="article">',
      '<meta property="og:title" content="Maps that lie, &amp; why we &lt;love&gt; them">',
      '<meta property="og:description" content="Every map is an argument.',
      '<meta property="og:url" content="https://gazette.example/posts/maps-that-lie/">',
      '<meta property="og:image" content="https://gazette.example/images/mercator.jpg">',
      '<meta property="article:published_time" content="2022-03-02T18:30:00.000Z">',
      '<meta property="article:modified_time" content="2022-03-04T08:15:00.000Z">',
      '<h1>Maps that lie, &amp; why we &lt;love&gt; them</h1>',
      '<time datetime="2022-03-02T18:30:00.000Z">2 March 2022</time> · <span class="author">Ada Quill</span>',
      'Updated <time datetime="2022-03-04T08:15:00.000Z">4 March 2022</time>',
      '<li><a href="/tags/maps/" rel="tag">Maps</a></li>',
      '<img src="https://gazette.example/images/mercator.jpg" alt="A Mercator world map with Greenland as large as Africa">',
      // Links to its own headings stay on the page.
      '<a class="header-anchor" href="#the-mercator-problem">',
    ]) {
      expect(html).toContain(fragment);
    }
    expect(html).not.toContain('class="credit"');
    expect(page(site, 'posts/city-of-bridges/index.html')).toContain(
      '<p class="credit">Source: <a href="https://bridges.example/issue/7">The Bridge Review</a></p>',
    );
    expect(page(site, 'posts/city-of-bridges/index.html')).toContain('<span class="author">Sam Ferry</span>');
    expect(page(site, 'posts/city-of-bridges/index.html')).not.toContain('og:image');
  });

  it('shows dates in the publication time zone and language', async () => {
    // 23:30 UTC on 30 November is already 1 December in Berlin.
    const berlin = publication({ language: 'de-DE', timeZone: 'Europe/Berlin' });
    const out = byPath(await buildSite({ publication: berlin, posts: renderedFixture(berlin), templates }));
    expect(page(out, 'posts/longest-street-names/index.html')).toContain(
      '<time datetime="2021-11-30T23:30:00.000Z">1. Dezember 2021</time>',
    );
    expect(page(out, 'index.html')).toMatch(/^<!doctype html>\n<html lang="de-DE">/);
    expect(page(site, 'posts/longest-street-names/index.html')).toContain('30 November 2021');
  });

  it('renders tag pages with their posts and their own feed', () => {
    const html = page(site, 'tags/maps/index.html');
    expect(html).toContain('<h1>Posts tagged “Maps”</h1>');
    expect(html).toContain(
      '<link rel="alternate" type="application/rss+xml" title="The Quiet Gazette: Maps (RSS)" href="https://gazette.example/tags/maps/feed.xml">',
    );
    expect(html).toContain('<a href="/tags/maps/feed.xml">RSS feed for this tag</a>');
    expect(html).toContain('href="/posts/maps-that-lie/"');
    expect(html).toContain('href="/posts/longest-street-names/"');
    expect(html).not.toContain('href="/posts/city-of-bridges/"');
    expect(XMLValidator.validate(page(site, 'tags/maps/feed.xml'))).toBe(true);
  });

  it('renders a 404 page that search engines skip', () => {
    const html = page(site, '404.html');
    expect(html).toContain('<h1>Page not found</h1>');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it('links within a publication that lives under a path', async () => {
    const nested = publication({ url: 'https://example.org/letters/' });
    const out = byPath(await buildSite({ publication: nested, posts: renderedFixture(nested), templates }));
    const html = page(out, 'index.html');
    expect(html).toContain('<link rel="stylesheet" href="/letters/assets/style.css">');
    expect(html).toContain('<form method="post" action="/letters/subscribe">');
    expect(html).toContain('href="/letters/posts/maps-that-lie/"');
  });

  it('changing one post rewrites only its page, its tag pages and feeds, the index and the feeds', async () => {
    const changed = fixturePosts().map((p) =>
      p.slug === 'city-of-bridges' ? { ...p, body: `${p.body}\n\nA new closing paragraph.` } : p,
    );
    const after = await buildSite({
      publication: pub,
      posts: changed.map((p) => renderPost(p, pub)),
      templates,
    });
    const rewritten = after.filter((f) => site.get(f.path)?.body !== f.body).map((f) => f.path);
    expect(rewritten).toEqual([
      'atom.xml',
      'feed.json',
      'feed.xml',
      'posts/city-of-bridges/index.html',
      'tags/cities/feed.xml',
    ]);
  });

  it('builds a publication with no post yet: index, feeds, stylesheet and 404, no tag', async () => {
    const out = await buildSite({ publication: pub, posts: [], templates });
    expect(out.map((f) => f.path)).toEqual([
      '404.html',
      'assets/favicon.svg',
      'assets/style.css',
      'atom.xml',
      'feed.json',
      'feed.xml',
      'index.html',
    ]);
    expect(page(byPath(out), 'index.html')).toContain('<p class="empty">Nothing published yet.</p>');
  });

  it('merges tags that differ only in case or punctuation into one page', async () => {
    const mixed = [
      renderPost(post({ slug: 'a', tags: ['Open Source'], date: new Date('2022-02-01T00:00:00Z') }), pub),
      renderPost(post({ slug: 'b', tags: ['open-source', 'OPEN SOURCE'] }), pub),
    ];
    const out = await buildSite({ publication: pub, posts: mixed, templates });
    expect(out.map((f) => f.path).filter((p) => p.startsWith('tags/'))).toEqual([
      'tags/open-source/feed.xml',
      'tags/open-source/index.html',
    ]);
    const html = page(byPath(out), 'tags/open-source/index.html');
    expect(html).toContain('<h1>Posts tagged “Open Source”</h1>');
    expect(html).toContain('2 posts');
  });

  it.each(XSS_VECTORS)('never lets %s from a title, summary, tag or author into a page', async (vector) => {
    const hostile = renderPost(
      post({
        slug: 'hostile',
        title: `Title ${vector}`,
        summary: `Summary ${vector}`,
        tags: [`tag ${vector}`],
        author: `Author ${vector}`,
        body: `Body ${vector}`,
        image: { src: 'javascript:alert(1)', alt: vector },
        credit: { name: vector, url: 'javascript:alert(1)' },
      }),
      pub,
    );
    const out = await buildSite({ publication: pub, posts: [hostile], templates });
    for (const file of out.filter((f) => f.path.endsWith('.html'))) {
      expect(unsafeParts(file.body, PAGE_TAGS), file.path).toEqual([]);
    }
    for (const file of out.filter((f) => f.path.endsWith('.xml') || f.path.endsWith('.json'))) {
      expect(feedProblems(file), file.path).toEqual([]);
    }
  });

  it('refuses a slug that could escape its folder, naming the file', async () => {
    const bad: RenderedPost = {
      ...posts[0]!,
      slug: '../../etc',
      source: { file: 'posts/evil.md', bodyLine: 4 },
    };
    const attempt = buildSite({ publication: pub, posts: [bad], templates });
    await expect(attempt).rejects.toBeInstanceOf(ContentError);
    await expect(attempt).rejects.toThrow(/^posts\/evil\.md: slug "\.\.\/\.\.\/etc"/);
  });

  it('names every missing template at once', async () => {
    const { 'post.liquid': _post, '404.liquid': _404, ...partial } = templates;
    await expect(buildSite({ publication: pub, posts, templates: partial })).rejects.toThrow(
      new TemplateError('site templates missing: post.liquid, 404.liquid'),
    );
  });

  it('names the template and the problem when one does not render', async () => {
    const broken = {
      ...templates,
      'tag.liquid': '{% layout "layout.liquid" %}{% block content %}{{ tag.name | nope }}{% endblock %}',
    };
    await expect(buildSite({ publication: pub, posts, templates: broken })).rejects.toThrow(
      /templates\/site\/tag\.liquid: .*nope/,
    );
  });
});
