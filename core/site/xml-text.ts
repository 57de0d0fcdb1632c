/**
 * Text made safe for XML 1.0 feeds, and the workarounds for how the `feed` package writes XML.
 *
 * What XML cannot carry is stripped, everywhere in every feed (the JSON Feed too, so the three
 * feeds say the same thing): the C0 control characters other than tab, line feed and carriage
 * return (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F), the non-characters U+FFFE and U+FFFF,
 * and unpaired surrogate halves. Everything else, emoji and right-to-left text included, is kept.
 *
 * The `feed` package (through xml-js) escapes only `"` in attribute values, turns a literal
 * `&amp;` in text back into `&`, and splits only the first `]]>` of a CDATA section; the helpers
 * below prepare values so that the output is always well-formed and reads back as the input.
 */

const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes the characters XML 1.0 cannot carry (see the module comment for the exact list). */
export function stripXmlInvalid(text: string): string {
  return text.replace(XML_INVALID, '');
}

/**
 * A one-line text (title, name, tag) as every feed writes it: runs of white space (line breaks,
 * vertical tab and form feed included) collapsed to one space, XML-invalid characters stripped,
 * trimmed.
 */
export function feedLine(text: string): string {
  return stripXmlInvalid(text.replace(/\s+/gu, ' ')).replace(/\s+/gu, ' ').trim();
}

/** For a value `feed` writes as an XML text node: xml-js would read a literal `&amp;` as `&`. */
export function forXmlText(text: string): string {
  return text.replace(/&/g, '&amp;');
}

/**
 * For a value `feed` writes as an XML attribute: `&` escaped (xml-js does not), `<` removed
 * (it is not allowed in an attribute and xml-js does not escape it).
 */
export function forXmlAttribute(text: string): string {
  return text.replace(/</g, '').replace(/&/g, '&amp;');
}

/**
 * For a value `feed` writes as CDATA: xml-js ends the section and opens a new one at the first
 * `]]>` only, so the later ones are split here (the first is left for xml-js).
 */
export function forCdata(text: string): string {
  let seen = false;
  return text.replace(/\]\]>/g, (match) => {
    if (!seen) {
      seen = true;
      return match;
    }
    return ']]]]><![CDATA[>';
  });
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Plain text as HTML text or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
