import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidLinkError } from '../../../core/email/errors.js';
import { browserVersion, compileEdition, personalize } from '../../../core/email/personalize.js';
import {
  PLACEHOLDER_PREFIX,
  PREFERENCES_PLACEHOLDER,
  UNSUBSCRIBE_PLACEHOLDER,
} from '../../../core/email/placeholders.js';
import { renderEdition } from '../../../core/email/render-edition.js';
import { publication, emailTemplates as templates } from '../../support/fixtures.js';
import { links, makePost, makePosts, renderWeeklyDigest } from './fixtures.js';

const rendered = await renderWeeklyDigest(makePosts(3));
const compiled = compileEdition(rendered);

describe('personalize', () => {
  it('splices the recipient’s links into both parts, escaped in HTML and as they are in text', () => {
    const mail = personalize(compiled, links);
    expect(mail.html).toContain(
      'href="https://news.example.com/unsubscribe?token=eyJwIjoidSJ9.c2ln&amp;src=mail"',
    );
    expect(mail.html).toContain(`href="${links.preferencesUrl}"`);
    expect(mail.text).toContain(`Unsubscribe: ${links.unsubscribeUrl}\n`);
    expect(mail.text).toContain(`Change your preferences: ${links.preferencesUrl}\n`);
    expect(mail.html).not.toContain(PLACEHOLDER_PREFIX);
    expect(mail.text).not.toContain(PLACEHOLDER_PREFIX);
  });

  it('changes nothing but the links', () => {
    const mail = personalize(compiled, links);
    expect(
      mail.html
        .replaceAll(links.unsubscribeUrl.replace('&', '&amp;'), UNSUBSCRIBE_PLACEHOLDER)
        .replaceAll(links.preferencesUrl, PREFERENCES_PLACEHOLDER),
    ).toBe(rendered.html);
    expect(
      mail.text
        .replaceAll(links.unsubscribeUrl, UNSUBSCRIBE_PLACEHOLDER)
        .replaceAll(links.preferencesUrl, PREFERENCES_PLACEHOLDER),
    ).toBe(rendered.text);
  });

  it('property: the right URL lands in each slot of both parts and no placeholder survives', () => {
    const url = fc
      .tuple(
        fc.constantFrom('https://', 'http://'),
        fc.webPath(),
        fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
      )
      .map(
        ([scheme, path, query]) => `${scheme}news.example.com${path}?t=${encodeURIComponent(query)}&x="<'>`,
      );
    fc.assert(
      fc.property(url, url, (unsubscribeUrl, preferencesUrl) => {
        const mail = personalize(compiled, { unsubscribeUrl, preferencesUrl });
        const attr = (s: string) =>
          s
            .replaceAll('&', '&amp;')
            .replaceAll('<', '&lt;')
            .replaceAll('>', '&gt;')
            .replaceAll('"', '&quot;')
            .replaceAll("'", '&#39;');
        expect(mail.html).toContain(
          `<a href="${attr(preferencesUrl)}" style="color:#57606a;">Change your preferences</a>`,
        );
        expect(mail.html).toContain(
          `<a href="${attr(unsubscribeUrl)}" style="color:#57606a;">Unsubscribe</a>`,
        );
        expect(mail.text).toContain(`Unsubscribe: ${unsubscribeUrl}\n`);
        expect(mail.text).toContain(`Change your preferences: ${preferencesUrl}\n`);
        expect(mail.html).not.toContain(PLACEHOLDER_PREFIX);
        expect(mail.text).not.toContain(PLACEHOLDER_PREFIX);
      }),
    );
  });

  it('a post quoting the placeholder text is never spliced', async () => {
    const quoted = `Our marker is ${UNSUBSCRIBE_PLACEHOLDER} and ${PREFERENCES_PLACEHOLDER}`;
    const post = makePost(1, {
      title: quoted,
      summaryText: quoted,
      html: `<p>${quoted}</p><p><a href="https://evil.example/${UNSUBSCRIBE_PLACEHOLDER}">x</a></p>`,
    });
    for (const kind of ['digest', 'post'] as const) {
      const edition = await renderEdition({ publication, templates, editionId: 'e', kind, posts: [post] });
      const c = compileEdition(edition);
      // The template's own two links (and the footer's) are the only cuts.
      expect(c.html.slots).toEqual([1, 0]);
      expect(c.text.slots).toEqual([1, 0]);
      const mail = personalize(c, links);
      // The word joiner is written as a reference in the HTML, as it is in the text.
      expect(mail.html).toContain('Our marker is GAZETTE&#8288;-PLACEHOLDER-7F3A9C-UNSUBSCRIBE-URL');
      expect(mail.text).toContain('GAZETTE\u2060-PLACEHOLDER-7F3A9C-PREFERENCES-URL');
      expect(mail.html).not.toContain(`https://evil.example/${links.unsubscribeUrl}`);
      expect(mail.html.split(links.preferencesUrl)).toHaveLength(2);
    }
  });

  it('refuses links that are not absolute http(s) URLs', () => {
    for (const bad of [
      'javascript:alert(1)',
      '/unsubscribe',
      'https://x.example/a b',
      'https://x.example/\r\nBcc: y',
    ]) {
      expect(() => personalize(compiled, { ...links, unsubscribeUrl: bad })).toThrow(InvalidLinkError);
      expect(() => personalize(compiled, { ...links, preferencesUrl: bad })).toThrow(/preferencesUrl/);
    }
  });

  it('is a matter of microseconds per recipient (figure printed; benchmarks live in bench/)', () => {
    const n = 2000;
    const start = process.hrtime.bigint();
    let bytes = 0;
    for (let i = 0; i < n; i++)
      bytes += personalize(compiled, { ...links, unsubscribeUrl: `${links.unsubscribeUrl}${i}` }).html.length;
    const micros = Number(process.hrtime.bigint() - start) / 1000 / n;
    console.log(`personalize: ${micros.toFixed(2)} µs per recipient (${rendered.html.length} chars of HTML)`);
    expect(bytes).toBeGreaterThan(n * rendered.html.length);
  });
});

describe('browserVersion', () => {
  it('replaces both personal links with the public subscribe page', () => {
    const html = browserVersion(rendered, publication);
    expect(html).not.toContain(PLACEHOLDER_PREFIX);
    expect(html).toContain(
      '<a href="https://news.example.com/subscribe" style="color:#57606a;">Unsubscribe</a>',
    );
    expect(html).toContain(
      '<a href="https://news.example.com/subscribe" style="color:#57606a;">Change your preferences</a>',
    );
    expect(html.length).toBeGreaterThan(rendered.html.length - 2 * UNSUBSCRIBE_PLACEHOLDER.length);
  });
});
