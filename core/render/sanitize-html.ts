import sanitize from 'sanitize-html';

/** Where relative URLs in an article point. */
export interface UrlContext {
  /** Absolute URL that relative paths resolve against: the publication URL. */
  baseUrl: string;
  /** Absolute URL of the page the HTML belongs to: fragment-only links (`#notes`) resolve against it. */
  documentUrl?: string | undefined;
}

/** URL schemes an article may link to or load from. Anything else is dropped with its attribute. */
export const ALLOWED_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const ALLOWED_TAGS = [
  ...HEADINGS,
  'p',
  'a',
  'img',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'del',
  'ins',
  'sub',
  'sup',
  'mark',
  'small',
  'abbr',
  'cite',
  'q',
  'span',
  'div',
  'figure',
  'figcaption',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'hr',
  'br',
  'details',
  'summary',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'class'],
  img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
  ol: ['start', 'reversed'],
  th: ['colspan', 'rowspan', 'class'],
  td: ['colspan', 'rowspan', 'class'],
  blockquote: ['cite'],
  q: ['cite'],
  abbr: ['title'],
  code: ['class'],
  ...Object.fromEntries(HEADINGS.map((h) => [h, ['id']])),
};

const ALLOWED_CLASSES: Record<string, string[]> = {
  a: ['header-anchor'],
  code: ['language-*'],
  th: ['align-left', 'align-center', 'align-right'],
  td: ['align-left', 'align-center', 'align-right'],
};

/** Elements dropped together with everything inside them (their text is code or chrome, not prose). */
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'xmp',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'object',
  'embed',
  'template',
  'title',
  'svg',
  'math',
  'form',
  'button',
  'plaintext',
  'head',
];

const URL_ATTRIBUTES = ['href', 'src', 'cite'];

/**
 * Resolves a URL from an article against the publication, or returns undefined when it is not
 * one we allow (unknown scheme, unparseable). Browsers strip ASCII tab and newline inside a URL
 * and ignore leading control characters and spaces, so `java&#x09;script:` is read as
 * `javascript:`; the WHATWG URL parser does the same here, which is why the scheme is checked
 * on the parsed URL and never on the raw text.
 */
export function resolveArticleUrl(raw: string, context: UrlContext | undefined): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const base = value.startsWith('#') ? (context?.documentUrl ?? context?.baseUrl) : context?.baseUrl;
  let url: URL;
  try {
    url = base ? new URL(value, base) : new URL(value);
  } catch {
    if (base) return undefined;
    // Without a base, relative URLs stay relative, provided no scheme hides in them.
    return isSchemeless(value) ? value : undefined;
  }
  if (!ALLOWED_SCHEMES.includes(url.protocol.slice(0, -1))) return undefined;
  return url.href;
}

function isSchemeless(value: string): boolean {
  // What a browser would read before the first `:`, after dropping tab, LF, CR and leading C0/space.
  const squeezed = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  const colon = squeezed.indexOf(':');
  if (colon === -1) return true;
  const before = squeezed.slice(0, colon);
  return /[/?#]/.test(before);
}

const ALIGN_STYLE = /^\s*text-align\s*:\s*(left|center|right)\s*;?\s*$/i;

function buildOptions(context: UrlContext | undefined): sanitize.IOptions {
  const resolveUrls = (attribs: sanitize.Attributes): sanitize.Attributes => {
    const out: sanitize.Attributes = { ...attribs };
    for (const name of URL_ATTRIBUTES) {
      const value = out[name];
      if (value === undefined) continue;
      const resolved = resolveArticleUrl(value, context);
      if (resolved === undefined) delete out[name];
      else out[name] = resolved;
    }
    return out;
  };
  const cell = (tagName: string, attribs: sanitize.Attributes): sanitize.Tag => {
    // Markdown tables align with `style`; the archive's CSP forbids inline styles, so use a class.
    const out: sanitize.Attributes = { ...attribs };
    const align = ALIGN_STYLE.exec(out.style ?? '')?.[1]?.toLowerCase();
    delete out.style;
    if (align) out.class = `align-${align}`;
    return { tagName, attribs: out };
  };
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: ALLOWED_CLASSES,
    allowedSchemes: [...ALLOWED_SCHEMES],
    allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    enforceHtmlBoundary: false,
    parseStyleAttributes: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: resolveUrls(attribs) }),
      img: (tagName, attribs) => ({
        tagName,
        attribs: { ...resolveUrls(attribs), loading: 'lazy', decoding: 'async' },
      }),
      blockquote: (tagName, attribs) => ({ tagName, attribs: resolveUrls(attribs) }),
      q: (tagName, attribs) => ({ tagName, attribs: resolveUrls(attribs) }),
      th: cell,
      td: cell,
    },
    exclusiveFilter: (frame) =>
      // An image whose source was refused is noise: drop it rather than leave a broken box.
      frame.tag === 'img' && !frame.attribs.src,
  };
}

const cache = new Map<string, sanitize.IOptions>();

function optionsFor(context: UrlContext | undefined): sanitize.IOptions {
  const key = context ? `${context.baseUrl}\n${context.documentUrl ?? ''}` : '';
  let options = cache.get(key);
  if (!options) {
    options = buildOptions(context);
    if (cache.size > 1000) cache.clear();
    cache.set(key, options);
  }
  return options;
}

/** Each pass only flattens nesting; real input settles after one or two. */
const MAX_EXTRA_PASSES = 8;

/**
 * Cleans HTML for an article against an allow-list: prose elements, links, images, tables,
 * code; no script, style, frames, objects, SVG, MathML or forms (their content goes too); no
 * event handlers or inline styles; URLs limited to http, https and mailto and, given a context,
 * made absolute (feeds and mail need absolute URLs). Images get `loading="lazy"`.
 *
 * Idempotent: sanitizing the output again gives the same string (property-tested). Text comes
 * out with `&`, `<`, `>` and `"` escaped, so `]]>` cannot appear outside a tag.
 */
export function sanitizeHtml(html: string, context?: UrlContext): string {
  const options = optionsFor(context);
  let out = sanitize(html, options);
  // Broken markup can leave a nesting that the parser reads differently the next time
  // (`<td><x<p><td>` gives `<td><td></td></td>`, which reads back as two cells). Cleaning again
  // until nothing changes makes the result a fixed point; one extra pass is the usual cost.
  for (let pass = 0; pass < MAX_EXTRA_PASSES; pass++) {
    const again = sanitize(out, options);
    if (again === out) break;
    out = again;
  }
  return out;
}

/**
 * One pass of {@link sanitizeHtml}'s cleaning, without the passes that make broken markup settle.
 * For HTML that nests the way the parser reads it back, such as markdown-it's own output without
 * raw HTML: there the result is already a fixed point. Anything else goes through sanitizeHtml.
 */
export function sanitizeOnce(html: string, context?: UrlContext): string {
  return sanitize(html, optionsFor(context));
}

/**
 * The text of an HTML fragment with every tag removed and entities decoded: plain text, to be
 * escaped again wherever it is written.
 */
export function htmlToPlainText(html: string): string {
  const text = sanitize(html, { allowedTags: [], allowedAttributes: {}, nonTextTags: DROPPED_WITH_CONTENT });
  return decodeBasicEntities(text);
}

/** Undoes the four escapes sanitize-html writes into text. */
function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
