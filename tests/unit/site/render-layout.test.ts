import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../../core/errors.js';
import { publicationFeedLinks, renderPage } from '../../../core/site/render-layout.js';
import { siteTemplates as templates } from '../../support/fixtures.js';
import { publication } from './fixtures.js';

describe('renderPage', () => {
  const pub = publication({ title: 'Ben & Jerry’s <Letters>' });

  it('wraps trusted body HTML in the layout, escaping every text it is given', async () => {
    const html = await renderPage(templates, {
      publication: pub,
      title: 'Confirm "your" subscription',
      description: 'One <click> & done',
      canonicalUrl: 'https://gazette.example/confirm?a=1&b=2',
      robots: 'noindex',
      bodyHtml: '<h1>Confirm</h1><form method="post"><button type="submit">Confirm</button></form>',
    });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">/);
    for (const fragment of [
      '<title>Confirm &#34;your&#34; subscription · Ben &amp; Jerry’s &lt;Letters&gt;</title>',
      '<meta name="description" content="One &lt;click&gt; &amp; done">',
      '<meta name="robots" content="noindex">',
      '<link rel="canonical" href="https://gazette.example/confirm?a=1&amp;b=2">',
      '<link rel="stylesheet" href="/assets/style.css">',
      '<p class="site-title"><a href="/">Ben &amp; Jerry’s &lt;Letters&gt;</a></p>',
      '<main id="content" tabindex="-1">\n<h1>Confirm</h1><form method="post"><button type="submit">Confirm</button></form>\n</main>',
    ]) {
      expect(html).toContain(fragment);
    }
    expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/i);
  });

  it('leaves out what it is not given', async () => {
    const html = await renderPage(templates, { publication: pub, title: pub.title, bodyHtml: '<p>x</p>' });
    expect(html).toContain('<title>Ben &amp; Jerry’s &lt;Letters&gt;</title>');
    expect(html).not.toContain('name="description"');
    expect(html).not.toContain('name="robots"');
    expect(html).not.toContain('rel="canonical"');
  });

  it('announces the publication feeds', async () => {
    const html = await renderPage(templates, { publication: pub, title: 'x', bodyHtml: '' });
    for (const feed of publicationFeedLinks(pub)) {
      expect(html).toContain(`<link rel="alternate" type="${feed.type}"`);
      expect(html).toContain(`href="${feed.url}"`);
    }
  });

  it('links within a publication under a path', async () => {
    const html = await renderPage(templates, {
      publication: publication({ url: 'https://example.org/letters/' }),
      title: 'x',
      bodyHtml: '',
    });
    expect(html).toContain('<link rel="stylesheet" href="/letters/assets/style.css">');
    expect(html).toContain('<a href="/letters/#subscribe">Subscribe</a>');
  });

  it('says which template is missing', async () => {
    await expect(renderPage({}, { publication: pub, title: 'x', bodyHtml: '' })).rejects.toThrow(
      new TemplateError('site templates missing: layout.liquid'),
    );
  });
});
