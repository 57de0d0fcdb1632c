import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, slugifyHeading } from '../../../core/render/render-markdown.js';
import { sanitizeHtml } from '../../../core/render/sanitize-html.js';

const context = { baseUrl: 'https://gazette.example/', documentUrl: 'https://gazette.example/posts/hello/' };

describe('renderMarkdown', () => {
  it('gives headings ids and makes them links to themselves', () => {
    expect(renderMarkdown('## The Mercator problem', context)).toBe(
      '<h2 id="the-mercator-problem"><a class="header-anchor" href="https://gazette.example/posts/hello/#the-mercator-problem"><span>The Mercator problem</span></a></h2>\n',
    );
  });

  it('keeps heading ids unique within a post, and starts afresh for the next post', () => {
    const html = renderMarkdown('# Notes\n\n## Notes\n\n### Notes', context);
    expect([...html.matchAll(/id="([^"]+)"/g)].map((m) => m[1])).toEqual(['notes', 'notes-2', 'notes-3']);
    expect(renderMarkdown('# Notes', context)).toContain('id="notes"');
  });

  it('does not nest a link in a heading that already holds one', () => {
    const html = renderMarkdown('## See [the map](https://example.org/map)', context);
    expect(html).toBe('<h2 id="see-the-map">See <a href="https://example.org/map">the map</a></h2>\n');
  });

  it('never gives a heading an id the page itself uses', () => {
    expect(renderMarkdown('## Content\n\n## Subscribe', context)).toMatch(
      /id="content-section"[\s\S]*id="subscribe-section"/,
    );
  });

  it('keeps image alt text and title, makes the URL absolute and loads lazily', () => {
    expect(renderMarkdown('![A map of Königsberg](img/k.png "Seven bridges")', context)).toBe(
      '<p><img src="https://gazette.example/img/k.png" alt="A map of Königsberg" title="Seven bridges" loading="lazy" decoding="async" /></p>\n',
    );
  });

  it('keeps width and height written in raw HTML', () => {
    expect(renderMarkdown('<img src="/a.jpg" alt="A" width="800" height="600">', context)).toContain(
      'width="800" height="600"',
    );
  });

  it("keeps the author's quotes, dashes and ellipses exactly (no typographer)", () => {
    expect(renderMarkdown('"Quoted" -- dash --- and ... (c)', context)).toBe(
      '<p>"Quoted" -- dash --- and ... (c)</p>\n',
    );
  });

  it('links bare URLs and escapes text', () => {
    expect(renderMarkdown('See https://example.org/a?b=1&c=2 and 1 < 2 & 3 > 2', context)).toBe(
      '<p>See <a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a> and 1 &lt; 2 &amp; 3 &gt; 2</p>\n',
    );
  });

  it('renders code blocks with their language and escapes their content', () => {
    expect(renderMarkdown('```html\n<script>alert(1)</script>\n```', context)).toBe(
      '<pre><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n',
    );
  });

  it('aligns table columns with classes, not inline styles', () => {
    const html = renderMarkdown('| a | b |\n| :-: | --: |\n| 1 | 2 |', context);
    expect(html).toContain('<th class="align-center">a</th>');
    expect(html).toContain('<td class="align-right">2</td>');
    expect(html).not.toContain('style=');
  });

  it('property: the output is already sanitized for good (sanitizing it again changes nothing)', () => {
    // Markdown without raw HTML is cleaned in one pass, with raw HTML until it settles: either way
    // the output must be a fixed point, which is what sanitizing until nothing changes would give.
    const piece = fc.constantFrom(
      '# ',
      '## Heading',
      '\n### [linked](https://x.example/) heading\n',
      '- ',
      '1. ',
      '> ',
      '\n\n',
      '\n',
      '```js\n',
      '```',
      '    indented code\n',
      '`',
      '*',
      '**',
      '_',
      '~~',
      '[a link](https://example.org/a?b=1&c=2 "title")',
      '[relative](/posts/x/)',
      '[fragment](#notes)',
      '![an image](/images/a.png)',
      '![bad](javascript:alert(1))',
      '![data](data:image/png;base64,AAAA)',
      '<https://autolink.example/>',
      '<mail@example.org>',
      'https://bare.example/path',
      '\n| a | b |\n| :- | -: |\n| 1 | 2 |\n',
      '---',
      '\\',
      '&amp;',
      '&copy;',
      '&',
      '<',
      '>',
      '"',
      "'",
      '<em>raw</em>',
      '<td><A<p><td>',
      '<p>unclosed <strong>',
      '<script>alert(1)</script>',
      '\u0000',
      '😀',
      'עברית',
      '[^1]',
      '  \n',
    );
    const markdown = fc.array(fc.oneof({ weight: 3, arbitrary: piece }, fc.string()), { maxLength: 30 });
    fc.assert(
      fc.property(markdown, (parts) => {
        const html = renderMarkdown(parts.join(''), context);
        expect(sanitizeHtml(html, context)).toBe(html);
      }),
      { numRuns: 1000 },
    );
    // The same without any raw HTML (only autolinks keep their `<`): every case takes one pass.
    fc.assert(
      fc.property(markdown, (parts) => {
        const source = parts.join('').replace(/<(?!https:\/\/autolink|mail@)/g, '&lt;');
        const html = renderMarkdown(source, context);
        expect(sanitizeHtml(html, context)).toBe(html);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('slugifyHeading', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['  Café au lait ', 'café-au-lait'],
    ['東京の地図', '東京の地図'],
    ['مرحبا بالعالم', 'مرحبا-بالعالم'],
    ['!!!', 'section'],
    ['Ｆｕｌｌ　Ｗｉｄｔｈ', 'full-width'],
  ])('%j → %j', (text, slug) => {
    expect(slugifyHeading(text)).toBe(slug);
  });
});
