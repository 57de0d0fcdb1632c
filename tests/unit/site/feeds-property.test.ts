/**
 * Whatever a post's title, summary, tags and body hold (`]]>`, `<`, `&`, entities, control
 * characters, emoji, right-to-left text, unpaired surrogates), the three feeds are well-formed XML
 * / valid JSON and read back as the input, minus exactly what XML 1.0 cannot carry: C0 controls
 * other than tab, LF and CR, U+FFFE, U+FFFF and unpaired surrogates (see core/site/xml-text.ts).
 * One-line texts (titles, tags) also have their white space runs collapsed to one space, and an
 * RSS title carries `<` as `&lt;` (readers that render RSS titles as HTML must never see markup).
 */
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderPost } from '../../../core/render/render-post.js';
import { type JsonFeed, renderFeeds, renderTagFeed } from '../../../core/site/render-feeds.js';
import { escapeHtml, feedLine, stripXmlInvalid } from '../../../core/site/xml-text.js';
import { post, publication } from './fixtures.js';

/** XML 1.0 `Char`: what a conforming parser accepts anywhere in a document. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

const nasty = fc.constantFrom(
  ']]>',
  ']]]]><![CDATA[>',
  '<![CDATA[',
  '<',
  '>',
  '&',
  '&amp;',
  '&lt;',
  '&#0;',
  '"',
  "'",
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001f',
  '\u007f',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udfff',
  '\t',
  '\r\n',
  '\r',
  '😀',
  '👩🏽‍💻',
  'مرحبا',
  'שלום',
  '\u202e',
  '\u200f',
  '<script>alert(1)</script>',
  '<b>bold</b>',
  '*',
  '#',
  '[x](y)',
  ' ',
);

const text = (maxLength: number) =>
  fc
    .array(fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })), {
      maxLength: 12,
    })
    .map((parts) => parts.join('').slice(0, maxLength));

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const pub = publication();

describe('feeds with arbitrary text (property)', () => {
  it('are well-formed and round-trip titles, summaries, tags and HTML', () => {
    fc.assert(
      fc.property(text(80), text(80), text(20), text(200), (title, summary, tag, body) => {
        const rendered = renderPost(
          post({ slug: 'p', title, summary: summary.trim() === '' ? undefined : summary, tags: [tag], body }),
          pub,
        );
        const feeds = renderFeeds(pub, [rendered]);
        const tagFeed = renderTagFeed(pub, tag, [rendered]);

        for (const doc of [feeds.rss, feeds.atom, tagFeed]) {
          expect(XMLValidator.validate(doc)).toBe(true);
          expect(doc).toMatch(XML_CHARS);
        }
        const json = JSON.parse(feeds.json) as JsonFeed;
        expect(feeds.json).toMatch(XML_CHARS);

        const expectedTitle = feedLine(title);
        const expectedSummary = feedLine(rendered.summaryText);
        const expectedTags = [feedLine(tag)].filter((t) => t !== '');
        const expectedHtml = stripXmlInvalid(rendered.html);

        const item = parser.parse(feeds.rss).rss.channel.item;
        expect(item.title ?? '').toBe(expectedTitle.replace(/</g, '&lt;'));
        expect(item.description ?? '').toBe(escapeHtml(expectedSummary));
        expect(asArray(item.category)).toEqual(expectedTags);
        expect(item['content:encoded'] ?? '').toContain(expectedHtml);

        const entry = parser.parse(feeds.atom).feed.entry;
        expect(entry.title['#text'] ?? '').toBe(escapeHtml(expectedTitle));
        expect(entry.content?.['#text'] ?? '').toContain(expectedHtml);

        const jsonItem = json.items[0]!;
        expect(jsonItem.title).toBe(expectedTitle);
        expect(jsonItem.summary).toBe(expectedSummary);
        expect(jsonItem.tags).toEqual(expectedTags);
        expect(jsonItem.content_html ?? '').toContain(expectedHtml);

        // The front matter summary itself comes through, when short enough not to be cut.
        if (summary.trim() !== '' && feedLine(summary) !== '' && summary.length < 200) {
          expect(jsonItem.summary).toBe(feedLine(summary));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('strip exactly the characters XML cannot carry, and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (input) => {
        const out = stripXmlInvalid(input);
        expect(out).toMatch(XML_CHARS);
        const kept = [...input].filter((c) => XML_CHARS.test(c)).join('');
        expect(out).toBe(kept);
      }),
      { numRuns: 500 },
    );
  });

  it('read back publication texts with `&amp;` and `<` exactly (xml-js would collapse them)', () => {
    const tricky = publication({ title: 'Ben &amp; Jerry’s <Weekly>', description: 'a &lt; b & c' });
    const feeds = renderFeeds(tricky, []);
    expect(parser.parse(feeds.rss).rss.channel.title).toBe('Ben &amp; Jerry’s <Weekly>');
    expect(parser.parse(feeds.rss).rss.channel.description).toBe('a &lt; b & c');
    expect(parser.parse(feeds.atom).feed.title).toBe('Ben &amp; Jerry’s <Weekly>');
  });
});
