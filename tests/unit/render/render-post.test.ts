import { describe, expect, it } from 'vitest';
import { renderPost } from '../../../core/render/render-post.js';
import { SUMMARY_MAX_LENGTH } from '../../../core/render/summarize.js';
import { post, publication } from '../site/fixtures.js';

describe('renderPost', () => {
  const pub = publication();

  it('gives the post its archive URL under the publication URL', () => {
    expect(renderPost(post({ slug: 'hello-world' }), pub).url).toBe(
      'https://gazette.example/posts/hello-world/',
    );
    expect(
      renderPost(post({ slug: 'hello' }), publication({ url: 'https://example.org/letters/' })).url,
    ).toBe('https://example.org/letters/posts/hello/');
  });

  it('renders the body to sanitized HTML with absolute URLs', () => {
    const rendered = renderPost(
      post({
        slug: 'a',
        body: 'See [the other post](/posts/b/) and ![a chart](chart.png).\n\n<script>x()</script>',
      }),
      pub,
    );
    expect(rendered.html).toBe(
      '<p>See <a href="https://gazette.example/posts/b/">the other post</a> and <img src="https://gazette.example/chart.png" alt="a chart" loading="lazy" decoding="async" />.</p>\n',
    );
  });

  it('keeps every field of the post', () => {
    const source = post({ slug: 'a', tags: ['x'], author: 'Sam', summary: 'S' });
    const rendered = renderPost(source, pub);
    expect(rendered).toMatchObject({ ...source });
  });

  it('uses the front matter summary, white space collapsed', () => {
    expect(renderPost(post({ slug: 'a', summary: '  A  short\nsummary. ' }), pub).summaryText).toBe(
      'A short summary.',
    );
  });

  it('otherwise uses the first paragraph with words in it, as plain text', () => {
    const rendered = renderPost(
      post({
        slug: 'a',
        body: '![only an image](a.png)\n\n## Heading\n\nThe *first* real paragraph, with a [link](https://e.example/) & <b>bold</b>\nover two lines.\n\nSecond.',
      }),
      pub,
    );
    expect(rendered.summaryText).toBe('The first real paragraph, with a link & bold over two lines.');
  });

  it('never lets markup from the body into the summary', () => {
    const rendered = renderPost(
      post({ slug: 'a', body: 'Hello <script>alert(1)</script><img src=x onerror=alert(1)> &lt;b&gt;' }),
      pub,
    );
    expect(rendered.summaryText).toBe('Hello <b>');
  });

  it('cuts a long summary on a word, at most 280 characters, ending with an ellipsis', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const summary = renderPost(post({ slug: 'a', body: words }), pub).summaryText;
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(summary.endsWith('…')).toBe(true);
    expect(words.startsWith(summary.slice(0, -1))).toBe(true);
    expect(words.charAt(summary.length - 1)).toBe(' ');
  });

  it('gives an empty summary for a post without prose', () => {
    expect(renderPost(post({ slug: 'a', body: '```\ncode only\n```' }), pub).summaryText).toBe('');
  });
});
