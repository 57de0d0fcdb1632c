import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../core/render/render-markdown.js';
import { htmlToPlainText, resolveArticleUrl, sanitizeHtml } from '../../../core/render/sanitize-html.js';
import { ARTICLE_TAGS, startTags, unsafeParts, XSS_VECTORS } from './xss-vectors.js';

const context = { baseUrl: 'https://gazette.example/', documentUrl: 'https://gazette.example/posts/hello/' };

describe('sanitizeHtml', () => {
  it.each(XSS_VECTORS)('neutralizes %s (raw HTML)', (vector) => {
    const out = sanitizeHtml(`<p>before</p>${vector}<p>after</p>`, context);
    expect(unsafeParts(out, ARTICLE_TAGS)).toEqual([]);
    expect(out).toContain('<p>before</p>');
  });

  it('drops a closed script, style, svg, iframe or form with its content and keeps what follows', () => {
    const out = sanitizeHtml(
      '<p>a</p><script>x()</script><style>p{}</style><svg><text>svg</text></svg><iframe src="https://e.example/"></iframe><form><input name="q"></form><math><mi>x</mi></math><p>b</p>',
      context,
    );
    expect(out).toBe('<p>a</p><p>b</p>');
  });

  it.each(XSS_VECTORS)('neutralizes %s inside Markdown', (vector) => {
    const out = renderMarkdown(
      `# Title\n\nSome *text* ${vector} more.\n\n${vector}\n\n- item ${vector}\n`,
      context,
    );
    expect(unsafeParts(out, ARTICLE_TAGS)).toEqual([]);
  });

  it.each(XSS_VECTORS)('neutralizes %s without a URL context', (vector) => {
    expect(unsafeParts(sanitizeHtml(vector), ARTICLE_TAGS)).toEqual([]);
  });

  it('keeps the prose elements of an article', () => {
    const html = [
      '<h2 id="a">Heading</h2>',
      '<p>A <a href="https://example.org/x" title="X">link</a>, <em>em</em>, <strong>strong</strong>, <code>code</code>.</p>',
      '<blockquote cite="https://example.org/q"><p>quote</p></blockquote>',
      '<ul><li>one</li></ul><ol start="3"><li>three</li></ol>',
      '<pre><code class="language-ts">let a = 1;</code></pre>',
      '<figure><img src="https://example.org/a.png" alt="An A" width="640" height="480"><figcaption>Caption</figcaption></figure>',
      '<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>',
      '<hr><p>line<br>break</p>',
    ].join('');
    const out = sanitizeHtml(html, context);
    for (const fragment of [
      '<h2 id="a">Heading</h2>',
      '<a href="https://example.org/x" title="X">link</a>',
      '<em>em</em>',
      '<strong>strong</strong>',
      '<blockquote cite="https://example.org/q">',
      '<ol start="3">',
      '<code class="language-ts">',
      '<figcaption>Caption</figcaption>',
      '<th>h</th>',
      '<td>d</td>',
      '<hr />',
      '<br />',
    ]) {
      expect(out).toContain(fragment);
    }
    const img = startTags(out).find((t) => t.name === 'img');
    expect(Object.fromEntries(img?.attributes.map((a) => [a.name, a.value]) ?? [])).toEqual({
      src: 'https://example.org/a.png',
      alt: 'An A',
      width: '640',
      height: '480',
      loading: 'lazy',
      decoding: 'async',
    });
  });

  it('drops classes outside the allow-list and ids outside headings', () => {
    const out = sanitizeHtml(
      '<p id="content" class="evil">x</p><a class="header-anchor big" href="#a">y</a>',
      context,
    );
    expect(out).toBe('<p>x</p><a class="header-anchor" href="https://gazette.example/posts/hello/#a">y</a>');
  });

  it('turns table alignment styles into classes (no inline style under the CSP)', () => {
    expect(sanitizeHtml('<table><tr><td style="text-align:right">1</td></tr></table>')).toBe(
      '<table><tr><td class="align-right">1</td></tr></table>',
    );
  });

  it('resolves relative URLs against the publication and fragments against the page', () => {
    const out = sanitizeHtml(
      '<a href="/about/">a</a><a href="next/">b</a><a href="#notes">c</a><img src="img/x.png" alt="x"><a href="mailto:ada@example.org">m</a>',
      context,
    );
    expect(out).toBe(
      '<a href="https://gazette.example/about/">a</a><a href="https://gazette.example/next/">b</a>' +
        '<a href="https://gazette.example/posts/hello/#notes">c</a>' +
        '<img src="https://gazette.example/img/x.png" alt="x" loading="lazy" decoding="async" />' +
        '<a href="mailto:ada@example.org">m</a>',
    );
  });

  it('drops an image whose source is refused', () => {
    expect(sanitizeHtml('<p><img src="javascript:alert(1)" alt="x">text</p>', context)).toBe('<p>text</p>');
  });

  it('keeps the text of unknown harmless tags and drops the content of script-like ones', () => {
    expect(
      sanitizeHtml('<p><font color="red">kept</font><script>gone()</script><style>p{}</style></p>'),
    ).toBe('<p>kept</p>');
  });

  it('is idempotent on hand-picked tricky input', () => {
    for (const input of [
      ...XSS_VECTORS,
      '<p>unclosed <em>em <strong>strong</p>',
      '<table><p>misplaced</p><tr><td>x</td></tr></table>',
      '<a href="x">one <a href="y">nested</a></a>',
      '&lt;script&gt; &amp;amp; &#x26; &nbsp; &copy;',
      '<p title="a &quot;b&quot; &lt;c&gt;">t</p>',
      '<<<>>> ]]> <![CDATA[ x ]]>',
      '<li>loose</li><td>cell</td>',
      '<td><A<p><td>',
      '<table><tr><td><x<y><td><li><z<q><li><p><w<v><p></table>',
    ]) {
      const once = sanitizeHtml(input, context);
      expect(sanitizeHtml(once, context), input).toBe(once);
    }
  });

  it('is idempotent on arbitrary input (property)', () => {
    const pieces = fc.constantFrom(
      '<p>',
      '</p>',
      '<a href="/x?a=1&b=2">',
      '</a>',
      '<img src="y.png" alt="&quot;">',
      '<script>',
      '</script>',
      '<svg>',
      '<table>',
      '<td>',
      '<tr>',
      '<li>',
      '<ul>',
      '<x',
      '<A<p>',
      '</td>',
      '<pre>',
      '<code>',
      '<!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '&amp;',
      '&lt;',
      '&',
      '<',
      '>',
      '"',
      "'",
      '\u0000',
      '\u202e',
      '😀',
      '\ud800',
      ' ',
      '\n',
    );
    const html = fc.array(fc.oneof(pieces, fc.string()), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(html, (input) => {
        const once = sanitizeHtml(input, context);
        expect(sanitizeHtml(once, context)).toBe(once);
        expect(unsafeParts(once, ARTICLE_TAGS)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('resolveArticleUrl', () => {
  it.each([
    ['https://example.org/a', 'https://example.org/a'],
    ['HTTP://EXAMPLE.ORG/a', 'http://example.org/a'],
    ['/a b', 'https://gazette.example/a%20b'],
    ['mailto:a@example.org', 'mailto:a@example.org'],
    ['javascript:alert(1)', undefined],
    ['java\tscript:alert(1)', undefined],
    ['  \u0001javascript:alert(1)', undefined],
    ['data:text/plain,hi', undefined],
    ['vbscript:x', undefined],
    ['file:///etc/passwd', undefined],
    ['', undefined],
  ])('%j → %j', (raw, expected) => {
    expect(resolveArticleUrl(raw, context)).toBe(expected);
  });

  it('keeps relative URLs relative without a context, unless a scheme hides in them', () => {
    expect(resolveArticleUrl('img/a.png', undefined)).toBe('img/a.png');
    expect(resolveArticleUrl('/a:b', undefined)).toBe('/a:b');
    expect(resolveArticleUrl('java\nscript:alert(1)', undefined)).toBeUndefined();
  });
});

describe('htmlToPlainText', () => {
  it('strips tags, drops script text and decodes what sanitize-html escapes', () => {
    expect(htmlToPlainText('<p>a &amp; b &lt;c&gt; "d"<script>x()</script> <em>e</em></p>')).toBe(
      'a & b <c> "d" e',
    );
  });
});
