/**
 * Mail bodies as quoted-printable (RFC 2045 section 6.7), encoded by nodemailer's encoder, with
 * CRLF line breaks; no line is longer than 76 characters, soft break included.
 *
 * A personalized edition is mostly the same for every recipient: when the text to encode is one
 * of the texts cut or joined lately (splice.ts) joined with some values, the parts are encoded
 * once per edition (kept while the parts are) and only the values are encoded per mail. The
 * pieces are joined with soft line breaks (`=` CRLF), which a decoder removes: the decoded body
 * is byte for byte the one encoding the whole text would give. Finding the parts in the text
 * costs a comparison of its bytes; encoding it whole costs about a millisecond for a digest.
 */
import { encode, wrap } from 'nodemailer/lib/qp';
import { recentSplices, type SplicedText, valuesIn } from './splice.js';

// One less than the limit, so that any piece's last line can take the `=` of a soft break.
const PIECE_LINE = 75;
const LINE = 76;
const LONE_BREAK = /\r(?!\n)|(?<!\r)\n/;
const LINE_BREAKS = /\r\n|\r|\n/g;
const BREAK = /[\r\n]/;

interface EncodedPiece {
  readonly qp: string;
  /** Starts with a hard line break: the piece before needs no soft one. */
  readonly startsLine: boolean;
  /** Ends with a hard line break: the next piece starts a line of its own. */
  readonly endsLine: boolean;
}

const encodedParts = new WeakMap<SplicedText, readonly EncodedPiece[]>();

/** Line breaks as the wire wants them (RFC 5322). */
function crlf(text: string): string {
  return LONE_BREAK.test(text) ? text.replace(LINE_BREAKS, '\r\n') : text;
}

function piece(text: string): EncodedPiece {
  const qp = wrap(encode(crlf(text)), PIECE_LINE);
  return { qp, startsLine: qp.startsWith('\r\n'), endsLine: qp.endsWith('\n') };
}

function partsOf(spliced: SplicedText): readonly EncodedPiece[] {
  let parts = encodedParts.get(spliced);
  if (!parts) {
    parts = spliced.parts.map(piece);
    encodedParts.set(spliced, parts);
  }
  return parts;
}

/** The body of a text part, quoted-printable, CRLF line breaks. */
export function encodeBody(text: string): string {
  for (const spliced of recentSplices()) {
    const values = valuesIn(text, spliced);
    if (values === undefined) continue;
    // A value with a line break, or an empty one, could pair a CR and an LF across a cut: such a
    // text is encoded whole.
    if (values.some((v) => v === '' || BREAK.test(v))) break;
    return joinEncoded(partsOf(spliced), values);
  }
  return wrap(encode(crlf(text)), LINE);
}

function joinEncoded(parts: readonly EncodedPiece[], values: readonly string[]): string {
  let out = '';
  let openLine = false;
  const add = (p: EncodedPiece) => {
    if (p.qp === '') return;
    if (openLine && !p.startsLine) out += '=\r\n';
    out += p.qp;
    openLine = !p.endsLine;
  };
  add(parts[0] as EncodedPiece);
  for (let i = 0; i < values.length; i++) {
    add(piece(values[i] as string));
    add(parts[i + 1] as EncodedPiece);
  }
  return out;
}
