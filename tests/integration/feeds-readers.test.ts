/**
 * The feeds as real readers' tools see them: xmllint (libxml2) for well-formedness, Python's
 * feedparser (bozo must be 0; titles, links, ids and dates must match) and newsboat, driven
 * non-interactively against file:// URLs, its cache then read back. Each tool is skipped, with the
 * reason printed, when it is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedPost } from '../../core/model.js';
import { renderPost } from '../../core/render/render-post.js';
import { buildSite } from '../../core/site/build-site.js';
import { feedLine } from '../../core/site/xml-text.js';
import { toolSkipReason } from '../support/chromium.js';
import { siteTemplates } from '../support/fixtures.js';
import { post, publication, renderedFixture } from '../unit/site/fixtures.js';

const pub = publication();
const posts = renderedFixture(pub);

/** A post made of everything that breaks careless XML writers. */
const hostile: RenderedPost = renderPost(
  post({
    slug: 'hostile',
    date: new Date('2020-06-01T12:00:00Z'),
    title: 'A ]]> B ]]> C & D &amp; <E> \u0001\u0008 😀 مرحبا \ud800',
    summary: 'Summary ]]> with \u000b controls \ufffe & <b>tags</b>',
    tags: ['x ]]> y', 'a & b'],
    body: 'Body ]]> ]]> ]]> with <script>alert(1)</script> & \u0000 \u001f and `code ]]>`\n\n```\n]]>\n```',
  }),
  pub,
);

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-feeds-'));
  const write = async (name: string, list: RenderedPost[]) => {
    for (const file of await buildSite({ publication: pub, posts: list, templates: siteTemplates })) {
      const path = join(dir, name, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.body);
    }
  };
  await write('site', posts);
  await write('hostile', [...posts, hostile]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const FEEDS = ['feed.xml', 'atom.xml', 'tags/maps/feed.xml', 'tags/cities/feed.xml'];

describe.skipIf(toolSkipReason('xmllint', 'libxml2-utils'))('xmllint', () => {
  it.each([
    ...FEEDS.map((f) => `site/${f}`),
    ...FEEDS.slice(0, 2).map((f) => `hostile/${f}`),
    'hostile/tags/x-y/feed.xml',
  ])('%s is well-formed', (path) => {
    const run = spawnSync('xmllint', ['--noout', join(dir, path)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

/** A Python that can import feedparser (Debian's python3-feedparser lives in the system Python). */
function feedparserPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const run = spawnSync(python, ['-c', 'import feedparser'], { stdio: 'ignore' });
    if (run.status === 0) return python;
  }
  return undefined;
}

function feedparserSkipReason(): string | undefined {
  if (feedparserPython()) return undefined;
  const reason = 'python3 with feedparser not found (apt-get install python3-feedparser); its checks skipped';
  console.warn(reason);
  return reason;
}

interface Parsed {
  bozo: number;
  bozo_exception?: string;
  version: string;
  title: string;
  link: string;
  entries: Array<{
    title: string;
    link: string;
    id: string;
    published: number | null;
    updated: number | null;
    tags: string[];
  }>;
}

const FEEDPARSER_SCRIPT = `
import calendar, json, sys, feedparser
d = feedparser.parse(sys.argv[1])
def ts(t):
    return calendar.timegm(t) if t else None
print(json.dumps({
  "bozo": int(d.bozo),
  "bozo_exception": str(d.get("bozo_exception", "")),
  "version": d.version,
  "title": d.feed.get("title"),
  "link": d.feed.get("link"),
  "entries": [{
    "title": e.get("title"), "link": e.get("link"), "id": e.get("id"),
    "published": ts(e.get("published_parsed")), "updated": ts(e.get("updated_parsed")),
    "tags": [t.term for t in e.get("tags", [])],
  } for e in d.entries],
}))
`;

function feedparser(path: string): Parsed {
  const run = spawnSync(feedparserPython() ?? 'python3', ['-c', FEEDPARSER_SCRIPT, join(dir, path)], {
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Parsed;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

describe.skipIf(feedparserSkipReason())('Python feedparser', () => {
  it('reads feed.xml as RSS 2.0 without complaint, with titles, links, guids and dates', () => {
    const feed = feedparser('site/feed.xml');
    expect(feed.bozo_exception).toBe('');
    expect(feed.bozo).toBe(0);
    expect(feed.version).toBe('rss20');
    expect(feed.title).toBe(pub.title);
    expect(feed.link).toBe(pub.url);
    expect(feed.entries.map((e) => e.link)).toEqual(posts.map((p) => p.url));
    expect(feed.entries.map((e) => e.id)).toEqual(posts.map((p) => p.url));
    expect(feed.entries.map((e) => e.published)).toEqual(posts.map((p) => seconds(p.date)));
    expect(feed.entries.map((e) => e.tags)).toEqual(posts.map((p) => p.tags));
    // feedparser reads an RSS title holding an entity as HTML and keeps it as such.
    expect(feed.entries.map((e) => e.title)).toEqual(posts.map((p) => p.title.replace(/</g, '&lt;')));
  });

  it('reads atom.xml as Atom 1.0 without complaint, with titles, links, ids and dates', () => {
    const feed = feedparser('site/atom.xml');
    expect(feed.bozo_exception).toBe('');
    expect(feed.bozo).toBe(0);
    expect(feed.version).toBe('atom10');
    expect(feed.title).toBe(pub.title);
    expect(feed.link).toBe(pub.url);
    expect(feed.entries.map((e) => e.link)).toEqual(posts.map((p) => p.url));
    expect(feed.entries.map((e) => e.id)).toEqual(posts.map((p) => p.url));
    expect(feed.entries.map((e) => e.published)).toEqual(posts.map((p) => seconds(p.date)));
    expect(feed.entries.map((e) => e.updated)).toEqual(posts.map((p) => seconds(p.updated ?? p.date)));
    // Titles are typed html in Atom; feedparser hands back that HTML (its sanitizer drops `<love>`
    // once decoded as a tag, so the titles are compared without the angle-bracket one).
    expect(feed.entries.slice(1).map((e) => e.title)).toEqual(posts.slice(1).map((p) => p.title));
    expect(feed.entries[0]?.title).toMatch(/^Maps that lie, &(amp;)? why we/);
  });

  it('reads a tag feed', () => {
    const feed = feedparser('site/tags/cities/feed.xml');
    expect(feed.bozo).toBe(0);
    expect(feed.link).toBe('https://gazette.example/tags/cities/');
    expect(feed.entries.map((e) => e.link)).toEqual([
      'https://gazette.example/posts/city-of-bridges/',
      'https://gazette.example/posts/longest-street-names/',
    ]);
  });

  it.each(['hostile/feed.xml', 'hostile/atom.xml'])(
    'reads %s, built from hostile text, without complaint',
    (path) => {
      const feed = feedparser(path);
      expect(feed.bozo_exception).toBe('');
      expect(feed.bozo).toBe(0);
      const entry = feed.entries.find((e) => e.link === hostile.url);
      expect(entry?.id).toBe(hostile.url);
      expect(entry?.published).toBe(seconds(hostile.date));
      // Atom titles come back as HTML (typed html), RSS titles as text.
      const title = (entry?.title ?? '').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(title).toContain(']]> B ]]> C & D');
      expect(title).toContain('😀 مرحبا');
    },
  );
});

interface NewsboatItem {
  title: string;
  url: string;
  guid: string;
  pubDate: number;
  author: string;
}

/** Runs newsboat once against a feed file, with its own config and cache, then reads its cache. */
function newsboat(path: string): { unread: string; items: NewsboatItem[] } {
  const home = mkdtempSync(join(dir, 'newsboat-'));
  writeFileSync(join(home, 'urls'), `file://${join(dir, path)}\n`);
  writeFileSync(join(home, 'config'), '');
  const cache = join(home, 'cache.db');
  const run = spawnSync(
    'newsboat',
    ['-u', join(home, 'urls'), '-C', join(home, 'config'), '-c', cache, '-x', 'reload', 'print-unread'],
    {
      encoding: 'utf8',
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home },
      timeout: 60_000,
    },
  );
  expect(run.status, run.stderr).toBe(0);
  const query = spawnSync(
    feedparserPython() ?? 'python3',
    [
      '-c',
      'import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.row_factory = sqlite3.Row; print(json.dumps([dict(r) for r in c.execute("select title, url, guid, pubDate, author from rss_item order by pubDate desc")]))',
      cache,
    ],
    { encoding: 'utf8' },
  );
  expect(query.stderr).toBe('');
  return { unread: run.stdout.trim(), items: JSON.parse(query.stdout) as NewsboatItem[] };
}

describe.skipIf(toolSkipReason('newsboat', 'newsboat'))('newsboat', () => {
  it('loads feed.xml: every post, with title, link, guid, date and author', () => {
    const { unread, items } = newsboat('site/feed.xml');
    expect(unread).toBe(`${posts.length} unread articles`);
    expect(items.map((i) => i.url)).toEqual(posts.map((p) => p.url));
    expect(items.map((i) => i.guid)).toEqual(posts.map((p) => p.url));
    expect(items.map((i) => i.pubDate)).toEqual(posts.map((p) => seconds(p.date)));
    expect(items.map((i) => i.author)).toEqual(['Ada Quill', 'Sam Ferry', 'Ada Quill']);
    // newsboat keeps RSS titles as plain text: the `<` that RSS titles carry as `&lt;` shows so.
    expect(items.map((i) => i.title)).toEqual(posts.map((p) => p.title.replace(/</g, '&lt;')));
  });

  it('loads atom.xml: titles read back exactly', () => {
    const { unread, items } = newsboat('site/atom.xml');
    expect(unread).toBe(`${posts.length} unread articles`);
    expect(items.map((i) => i.title)).toEqual(posts.map((p) => p.title));
    expect(items.map((i) => i.guid)).toEqual(posts.map((p) => p.url));
    expect(items.map((i) => i.pubDate)).toEqual(posts.map((p) => seconds(p.date)));
  });

  it('loads the feeds built from hostile text', () => {
    for (const path of ['hostile/feed.xml', 'hostile/atom.xml']) {
      const { unread, items } = newsboat(path);
      expect(unread, path).toBe(`${posts.length + 1} unread articles`);
      const item = items.find((i) => i.url === hostile.url);
      expect(item?.pubDate, path).toBe(seconds(hostile.date));
    }
    const atom = newsboat('hostile/atom.xml').items.find((i) => i.url === hostile.url);
    expect(atom?.title).toBe(feedLine(hostile.title));
  });
});
