import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstParagraphText, truncateOnWord } from '../../../core/render/summarize.js';

describe('truncateOnWord', () => {
  it('leaves text that fits alone', () => {
    expect(truncateOnWord('short text', 20)).toBe('short text');
    expect(truncateOnWord('x'.repeat(20), 20)).toBe('x'.repeat(20));
  });

  it('cuts after the last whole word and drops trailing punctuation', () => {
    expect(truncateOnWord('one two, three four five', 16)).toBe('one two, three…');
    expect(truncateOnWord('alpha beta, gamma', 13)).toBe('alpha beta…');
  });

  it('cuts a single long word hard rather than keep nothing', () => {
    expect(truncateOnWord('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('never splits a surrogate pair', () => {
    expect(truncateOnWord('😀'.repeat(10), 6)).toBe('😀😀…');
  });

  it('always fits and is a prefix of the text plus an ellipsis (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 2, max: 300 }),
        (text, max) => {
          const out = truncateOnWord(text, max);
          expect(out.length).toBeLessThanOrEqual(max);
          if (out !== text) {
            expect(out.endsWith('…')).toBe(true);
            expect(text.startsWith(out.slice(0, -1))).toBe(true);
            expect(/[\uD800-\uDBFF]$/.test(out.slice(0, -1))).toBe(false);
          }
        },
      ),
    );
  });
});

describe('firstParagraphText', () => {
  it('skips paragraphs without words and decodes entities', () => {
    expect(firstParagraphText('<p><img src="a" alt="x" /></p><p>Tom &amp; Jerry &lt;3</p>')).toBe(
      'Tom & Jerry <3',
    );
  });
});
