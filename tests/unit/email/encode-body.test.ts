import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { encodeBody } from '../../../core/email/encode-body.js';
import { cutAtMarkers, joinSpliced, type SplicedText } from '../../../core/email/splice.js';

/** The body read back by mailparser, as a mail client reads a quoted-printable text part. */
async function decode(qp: string): Promise<string> {
  const parsed = await simpleParser(
    Buffer.from(
      `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qp}`,
    ),
  );
  return parsed.text ?? '';
}

/** What the reader should get: the text with its line breaks, whichever they were. */
function expected(text: string): string {
  return text.replace(/\r\n|\r/g, '\n');
}

/** Quoted-printable on the wire: printable ASCII, CRLF line breaks only, lines of 76 at most. */
function expectWellFormed(qp: string): void {
  expect(qp).toMatch(/^[\t\r\n\x20-\x7e]*$/);
  expect(qp.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of qp.split('\r\n')) {
    expect(line.length).toBeLessThanOrEqual(76);
    expect(line).not.toMatch(/[ \t]$/);
  }
}

const chunk = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    fc.constantFrom(' ', '\t', '=', '=3D', '\r', '\n', '\r\n', 'é', '→', '😀', 'x'.repeat(90), '  \n', '.'),
  ),
  maxLength: 60,
});
const value = chunk.map((v) => v.replace(/[\r\n]/g, '')).filter((v) => v !== '');

describe('encodeBody', () => {
  it('encodes a whole text: CRLF line breaks, short lines, read back as written', async () => {
    const text = `Hello →\nA line ${'long '.repeat(40)}ends here  \r\nand =3D is not a code\rlast\t`;
    const qp = encodeBody(text);
    expectWellFormed(qp);
    expect(qp).toContain('Hello =E2=86=92\r\n');
    expect(await decode(qp)).toBe(expected(text));
  });

  it('encodes a text spliced from its parts from the parts encoded once, and reads back the same', async () => {
    const spliced = cutAtMarkers('Change your preferences: PREFS\nUnsubscribe: UNSUB\n', ['UNSUB', 'PREFS']);
    const links = [
      'https://news.example.com/unsubscribe?token=abc.def&x=1',
      'https://news.example.com/p?t=1',
    ];
    const text = joinSpliced(spliced, links);
    // Others personalized in between, as a batch would do before encoding any of them.
    const others = [1, 2, 3, 4, 5, 6].map((i) =>
      joinSpliced(spliced, [`https://x.example/u${i}`, 'https://x.example/p']),
    );
    const qp = encodeBody(text);
    expectWellFormed(qp);
    expect(qp).toBe(
      'Change your preferences:=20=\r\nhttps://news.example.com/p?t=3D1\r\nUnsubscribe:=20=\r\n' +
        'https://news.example.com/unsubscribe?token=3Dabc.def&x=3D1\r\n',
    );
    expect(await decode(qp)).toBe(expected(text));
    for (const other of others) expect(await decode(encodeBody(other))).toBe(expected(other));
  });

  it('property: spliced or whole, any text reads back as it was', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(chunk, { minLength: 1, maxLength: 5 }),
        fc.array(value, { minLength: 2, maxLength: 2 }),
        fc.array(fc.nat(1), { maxLength: 4 }),
        async (parts, values, slotChoices) => {
          const slots = parts.slice(1).map((_, i) => slotChoices[i] ?? 0);
          const spliced: SplicedText = { parts, slots };
          const text = joinSpliced(spliced, values);
          const piecewise = encodeBody(text);
          // Sixteen other texts cut since push it out of what the encoder looks at: encoded whole.
          for (let i = 0; i < 16; i++) cutAtMarkers(`other ${i} M`, ['M']);
          const whole = encodeBody(text);
          for (const qp of [piecewise, whole]) {
            expectWellFormed(qp);
            expect(await decode(qp)).toBe(expected(text));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('encodes a value with a line break, or an empty one, with the whole text', async () => {
    const spliced: SplicedText = { parts: ['a\r', '\nb'], slots: [0] };
    for (const v of ['', '\n', 'x\r\ny']) {
      const text = joinSpliced(spliced, [v]);
      const qp = encodeBody(text);
      expectWellFormed(qp);
      expect(await decode(qp)).toBe(expected(text));
    }
  });
});
