/**
 * Mail HTML kept to ASCII. Every character above U+009F becomes a numeric character reference
 * (`→` → `&#8594;`), the same page for any mail client. Why: one character above U+00FF makes V8
 * store the whole string two bytes per character, so each recipient's personalized copy of a
 * 70 KB digest would be a 140 KB large-object allocation; and ASCII passes quoted-printable
 * encoding almost untouched.
 *
 * References are not decoded everywhere in HTML, so the document is tokenized the way an HTML
 * parser does it (tags, quoted and unquoted attribute values, comments, raw-text elements) and
 * each place gets its own form:
 * - text, attribute values (URLs and inline styles included: the parser decodes them before the
 *   URL or the CSS is read), `<title>`, and comments (ignored, or read as HTML by Outlook's
 *   conditional comments): `&#N;`;
 * - inside `<style>`: a CSS escape (`\2192 `), which CSS decodes in rules, strings and `url()`;
 * - tag and attribute names, and the text of `<script>` and the other raw-text elements, where
 *   neither form would be decoded: left as they are (mail HTML has none of these beyond ASCII;
 *   such a page only stays two bytes per character).
 *
 * C1 controls (U+0080–U+009F) are left as they are: a reference to one means a Windows-1252
 * character to an HTML parser, and they fit one byte per character anyway.
 */

const WIDE = /[\u00a0-\u{10ffff}]/u;
const WIDE_ALL = /[\u00a0-\u{10ffff}]/gu;
const ABOVE_LATIN1 = /[^\u0000-\u00ff]/;
/** Elements whose text an HTML parser does not decode; `style` gets CSS escapes. */
const RAW_TEXT = new Set(['style', 'script', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
/** Elements whose text is decoded but holds no markup: a `<style>` there is text. */
const RCDATA = new Set(['title', 'textarea']);
const closers = new Map<string, RegExp>();

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** The end tag of a raw-text element, as the parser finds it: `</name` then space, `/` or `>`. */
function closer(name: string): RegExp {
  let re = closers.get(name);
  if (!re) {
    re = new RegExp(`</${name}(?=[\\t\\n\\f\\r />])`, 'gi');
    closers.set(name, re);
  }
  return re;
}

function references(text: string): string {
  return WIDE.test(text) ? text.replace(WIDE_ALL, (ch) => `&#${ch.codePointAt(0)};`) : text;
}

function cssEscapes(css: string): string {
  if (!WIDE.test(css)) return css;
  // The space ends the escape and is consumed by it, whatever follows. A character already
  // escaped by a backslash (odd count before it) is that character: the backslash goes.
  return css.replace(
    /(\\*)([\u00a0-\u{10ffff}])/gu,
    (_, slashes: string, ch: string) =>
      `${slashes.slice(0, slashes.length - (slashes.length % 2))}\\${(ch.codePointAt(0) ?? 0).toString(16)} `,
  );
}

/**
 * Copies the tag at `html[at]` (`<` or `</`, then a letter at `nameAt`) into `out`, attribute
 * values escaped. Returns where the tag ends (after its `>`, or `to`) and its lower-case name.
 */
function copyTag(
  html: string,
  at: number,
  nameAt: number,
  to: number,
  out: string[],
): { end: number; name: string } {
  let i = nameAt;
  while (i < to && !isSpace(html.charCodeAt(i)) && html[i] !== '/' && html[i] !== '>') i++;
  const name = html.slice(nameAt, i).toLowerCase();
  out.push(html.slice(at, i));
  let copied = i;
  const copyTo = (end: number) => {
    out.push(html.slice(copied, end));
    copied = end;
  };
  while (i < to) {
    const c = html.charCodeAt(i);
    if (c === 0x3e /* > */) {
      i++;
      break;
    }
    if (isSpace(c) || c === 0x2f /* / */) {
      i++;
      continue;
    }
    // An attribute name: up to space, `/`, `>` or `=` (a leading `=` belongs to the name).
    i++;
    while (i < to && !isSpace(html.charCodeAt(i)) && !'/>='.includes(html[i] as string)) i++;
    while (i < to && isSpace(html.charCodeAt(i))) i++;
    if (html[i] !== '=') continue;
    i++;
    while (i < to && isSpace(html.charCodeAt(i))) i++;
    const quote = html[i];
    let start: number;
    let end: number;
    if (quote === '"' || quote === "'") {
      start = i + 1;
      const close = html.indexOf(quote, start);
      end = close === -1 || close > to ? to : close;
      i = end + 1;
    } else {
      start = i;
      while (i < to && !isSpace(html.charCodeAt(i)) && html[i] !== '>') i++;
      end = i;
    }
    copyTo(start);
    out.push(references(html.slice(start, end)));
    copied = end;
  }
  const end = Math.min(i, to);
  copyTo(end);
  return { end, name };
}

/** Escapes `html[from, to)` into `out`; comments and raw-text elements end at `to` at the latest. */
function escapeRange(html: string, from: number, to: number, out: string[]): void {
  let at = from;
  while (at < to) {
    const lt = html.indexOf('<', at);
    if (lt === -1 || lt >= to) break;
    out.push(references(html.slice(at, lt)));
    const next = html.charCodeAt(lt + 1);
    if (html.startsWith('<!--', lt) && lt + 4 <= to) {
      // `<!-->` and `<!--->` are whole (empty) comments to an HTML parser.
      const close = html.indexOf('-->', lt + 2);
      const closed = close !== -1 && close + 3 <= to;
      const end = closed ? close + 3 : to;
      const bodyEnd = closed ? Math.max(close, lt + 4) : to;
      out.push('<!--');
      escapeRange(html, lt + 4, bodyEnd, out);
      out.push(html.slice(bodyEnd, end));
      at = end;
    } else if (lt + 1 < to && isLetter(next)) {
      const tag = copyTag(html, lt, lt + 1, to, out);
      at = tag.end;
      if ((RAW_TEXT.has(tag.name) || RCDATA.has(tag.name)) && tag.end < to && html[tag.end - 1] === '>') {
        let contentEnd = to;
        if (tag.name !== 'plaintext') {
          const end = closer(tag.name);
          end.lastIndex = at;
          const closing = end.exec(html);
          if (closing && closing.index < to) contentEnd = closing.index;
        }
        const content = html.slice(at, contentEnd);
        out.push(
          tag.name === 'style' ? cssEscapes(content) : RCDATA.has(tag.name) ? references(content) : content,
        );
        at = contentEnd;
      }
    } else if (next === 0x2f && lt + 2 < to && isLetter(html.charCodeAt(lt + 2))) {
      at = copyTag(html, lt, lt + 2, to, out).end;
    } else {
      // A doctype or what the parser takes for a comment (`<!x>`, `<?x>`, `</1>`), up to its `>`:
      // references are harmless there. Anything else: `<` is text.
      const gt =
        lt + 1 < to && (next === 0x2f || next === 0x21 || next === 0x3f) ? html.indexOf('>', lt) : -1;
      const end = gt === -1 || gt >= to ? lt + 1 : gt + 1;
      out.push(references(html.slice(lt, end)));
      at = end;
    }
  }
  if (at < to) out.push(references(html.slice(at, to)));
}

/**
 * The same HTML document with every character above U+009F written in ASCII (see the module
 * comment for the form used where), returned as a string V8 stores one byte per character.
 */
export function escapeNonAscii(html: string): string {
  let out = html;
  if (WIDE.test(html)) {
    const parts: string[] = [];
    escapeRange(html, 0, html.length, parts);
    out = parts.join('');
  }
  // A string sliced from a two-byte string stays two bytes per character even when every
  // character is ASCII; decoding bytes gives V8 the chance to store it one byte per character.
  return ABOVE_LATIN1.test(out) ? out : new TextDecoder().decode(new TextEncoder().encode(out));
}
