import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmailAddress } from '../../../core/email/check-address.js';
import { editionPreheader, truncateText } from '../../../core/email/edition-subject.js';
import { hasControlCharacters, toHeaderText } from '../../../core/email/header-text.js';
import { listIdFor } from '../../../core/email/list-id.js';
import {
  neutralizePlaceholders,
  PLACEHOLDER_PREFIX,
  UNSUBSCRIBE_PLACEHOLDER,
} from '../../../core/email/placeholders.js';
import { countSlot, cutAtMarkers, escapeHtml, joinSpliced, valuesIn } from '../../../core/email/splice.js';
import { wrapText } from '../../../core/email/wrap-text.js';
import { makePost } from './fixtures.js';

describe('isEmailAddress', () => {
  it('accepts plain addresses, internationalized domains included', () => {
    for (const ok of [
      'a@example.com',
      "o'neil+tag@mail.example.co.uk",
      'x.y_z-1@bücher.example',
      'A@EXAMPLE.COM',
    ]) {
      expect(isEmailAddress(ok), ok).toBe(true);
    }
  });
  it('refuses lists, display names, control characters, bare hosts and overlong parts', () => {
    for (const bad of [
      '',
      'a',
      'a@b',
      '@example.com',
      'a@',
      'a@@example.com',
      'a b@example.com',
      'a@example.com\r\n',
      'Name <a@example.com>',
      'a@example.com,b@example.com',
      '.a@example.com',
      'a..b@example.com',
      'a@-example.com',
      'a@example.123',
      `${'x'.repeat(65)}@example.com`,
      `a@${'x'.repeat(64)}.com`,
      'ü@example.com',
    ]) {
      expect(isEmailAddress(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('header text', () => {
  it('flattens every line break and control character to one space', () => {
    expect(toHeaderText('  A\r\n\tB\u2028C\u0085D\u0000E  ')).toBe('A B C D E');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(hasControlCharacters(toHeaderText(s))).toBe(false);
      }),
    );
  });
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('subject and preheader helpers', () => {
  it('truncates on a word and never splits an emoji', () => {
    expect(truncateText('one two three four', 12)).toBe('one two…');
    expect(truncateText('short', 12)).toBe('short');
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.integer({ min: 2, max: 40 }),
        (s, max) => {
          const cut = truncateText(s, max);
          expect(Array.from(cut).length).toBeLessThanOrEqual(max);
          expect(cut).not.toMatch(LONE_SURROGATE);
        },
      ),
    );
  });
  it('takes the first summary for the preheader, or the title when there is none', () => {
    expect(editionPreheader([makePost(1, { summaryText: 'Sum\nmary' })])).toBe('Sum mary');
    expect(editionPreheader([makePost(1, { summaryText: '' })])).toBe('Note number 1: what we learned');
  });
});

describe('placeholders', () => {
  it('neutralized content keeps its look but never holds the prefix', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const out = neutralizePlaceholders(`${a}${UNSUBSCRIBE_PLACEHOLDER}${b}`);
        expect(out.includes(PLACEHOLDER_PREFIX)).toBe(false);
        expect(out.replaceAll('\u2060', '')).toBe(
          `${a}${UNSUBSCRIBE_PLACEHOLDER}${b}`.replaceAll('\u2060', ''),
        );
      }),
    );
    expect(neutralizePlaceholders('plain text')).toBe('plain text');
  });
});

describe('splicing', () => {
  it('cut then join with the markers gives the text back; with values, each marker gets its own', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.constantFrom(0, 1))), fc.string(), (pieces, tail) => {
        const markers = ['@@A@@', '@@B@@'];
        const clean = (s: string) => s.replaceAll('@', '');
        const text = pieces.map(([s, m]) => clean(s) + markers[m]).join('') + clean(tail);
        const spliced = cutAtMarkers(text, markers);
        expect(joinSpliced(spliced, markers)).toBe(text);
        expect(spliced.slots).toEqual(pieces.map(([, m]) => m));
        expect(countSlot(spliced, 0)).toBe(pieces.filter(([, m]) => m === 0).length);
        expect(joinSpliced(spliced, ['1', '2'])).toBe(
          pieces.map(([s, m]) => clean(s) + String(m + 1)).join('') + clean(tail),
        );
      }),
    );
  });
  it('escapes all five HTML specials', () => {
    expect(escapeHtml(`a&b<c>"d'`)).toBe('a&amp;b&lt;c&gt;&quot;d&#39;');
  });

  it('finds values that join a cut text back into a given text, and none for any other text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.string({ maxLength: 12 }), { minLength: 4, maxLength: 4 }),
        fc.string({ maxLength: 12 }),
        (parts, values, other) => {
          const spliced = { parts, slots: parts.slice(1).map((_, i) => i) };
          const text = joinSpliced(spliced, values);
          const found = valuesIn(text, spliced);
          // Any values found join back into the very same text (they may split it elsewhere).
          expect(found).toBeDefined();
          expect(joinSpliced(spliced, found ?? [])).toBe(text);
          const notJoined = valuesIn(other, spliced);
          if (notJoined) expect(joinSpliced(spliced, notJoined)).toBe(other);
        },
      ),
    );
    const spliced = cutAtMarkers('<a href="U">x</a> <a href="P">y</a>', ['U', 'P']);
    expect(
      valuesIn('<a href="https://u.example/1">x</a> <a href="https://p.example/">y</a>', spliced),
    ).toEqual(['https://u.example/1', 'https://p.example/']);
    expect(valuesIn('<a href="x">x</a> <b>changed</b>', spliced)).toBeUndefined();
  });
});

describe('wrapText', () => {
  it('wraps at the width between words and keeps long words whole', () => {
    expect(wrapText('aaa bbb ccc ddd', 7)).toBe('aaa bbb\nccc ddd');
    expect(wrapText('see https://example.com/a/very/long/path ok', 10)).toBe(
      'see\nhttps://example.com/a/very/long/path\nok',
    );
    expect(wrapText('one\n\ntwo', 72, '  ')).toBe('  one\n\n  two');
  });
});

describe('listIdFor', () => {
  it('builds "Title" <slug.host>, with localhost for IP and dotless hosts', () => {
    expect(listIdFor({ title: 'Gazette Dispatch', url: 'https://news.example.com/' })).toBe(
      '"Gazette Dispatch" <gazette-dispatch.news.example.com>',
    );
    expect(listIdFor({ title: 'Say "hi" \\ bye', url: 'http://127.0.0.1:3000/' })).toBe(
      '"Say \\"hi\\" \\\\ bye" <say-hi-bye.localhost>',
    );
    expect(listIdFor({ title: '日本語', url: 'http://localhost:3000/' })).toBe(
      '"日本語" <newsletter.localhost>',
    );
  });
});
