import type { Hono } from 'hono';
import PostalMime from 'postal-mime';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import type { OutboxMessage, OutboxReader } from '../web-deps.js';

/** A mail preview may show its own styles and inline images, and nothing else: no script, no request out. */
const MAIL_PREVIEW_POLICY =
  "default-src 'none'; img-src 'self' data: cid:; style-src 'unsafe-inline'; font-src data:; sandbox; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/**
 * Local mode: the mail that was sent, as a reader would get it. `/_local/outbox` lists it, newest
 * first; `/_local/outbox/<n>` shows one message (headers, text part with its links, and the HTML
 * part in a `sandbox=""` iframe served from `/_local/outbox/<n>/html` under a no-script CSP);
 * `/_local/outbox/<n>/raw` is the MIME source; `/_local/outbox.json` lists every message with its
 * raw MIME for scripts and tests.
 */
export function registerLocalOutboxRoutes(app: Hono, ctx: AppContext, outbox: OutboxReader): void {
  const newestFirst = async () => {
    const messages = [...(await outbox.list())];
    const indexed = messages.map((message, index) => ({ message, index }));
    indexed.sort((a, b) => time(b.message.at) - time(a.message.at) || a.index - b.index);
    return indexed.map(({ message }, n) => ({ message, n: indexed.length - n }));
  };
  const find = async (n: string) => (await newestFirst()).find((entry) => String(entry.n) === n)?.message;

  app.get('/_local/outbox.json', async (c) => {
    const messages = await newestFirst();
    c.header('Cache-Control', 'no-store');
    return c.json(
      messages.map(({ message }) => ({
        messageId: message.messageId,
        to: message.to,
        subject: message.subject,
        at: new Date(message.at).toISOString(),
        raw: rawText(message),
      })),
    );
  });

  app.get('/_local/outbox', async (c) => {
    const messages = await newestFirst();
    const rows = messages.map(
      ({ message, n }) => html`<tr>
<td><time datetime="${new Date(message.at).toISOString()}">${new Date(message.at).toISOString().replace('T', ' ').slice(0, 19)}</time></td>
<td>${message.to.join(', ')}</td>
<td><a href="${ctx.path(`_local/outbox/${n}`)}">${message.subject || '(no subject)'}</a></td>
</tr>
`,
    );
    const body = html`<section aria-labelledby="outbox-title">
<h1 id="outbox-title">Local outbox</h1>
<p>Every email sent in local mode, newest first (${messages.length}). Also as <a href="${ctx.path('_local/outbox.json')}">JSON</a>.</p>
${
  messages.length === 0
    ? html`<p class="empty">Nothing sent yet.</p>`
    : html`<table>
<thead><tr><th scope="col">Sent (UTC)</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>
${rows}</tbody>
</table>`
}
</section>
`;
    return ctx.page(c, { title: 'Local outbox', body, personal: true });
  });

  app.get('/_local/outbox/:n', async (c) => {
    const n = c.req.param('n');
    const message = await find(n);
    if (!message) return c.notFound();
    const parsed = await PostalMime.parse(rawText(message));
    const headers = parsed.headers.map(
      (h) => html`<tr><th scope="row">${h.originalKey}</th><td>${h.value}</td></tr>\n`,
    );
    const body = html`<section aria-labelledby="message-title">
<h1 id="message-title">${parsed.subject ?? '(no subject)'}</h1>
<p><a href="${ctx.path('_local/outbox')}">Back to the outbox</a> · <a href="${ctx.path(`_local/outbox/${n}/raw`)}">MIME source</a></p>
<h2>Headers</h2>
<table>
<tbody>
${headers}</tbody>
</table>
${
  parsed.html
    ? html`<h2>HTML part</h2>
<iframe sandbox="" src="${ctx.path(`_local/outbox/${n}/html`)}" title="HTML part of the message" width="100%" height="720"></iframe>`
    : ''
}
${parsed.text ? html`<h2>Text part</h2>\n<pre>${linkify(parsed.text)}</pre>` : ''}
</section>
`;
    return ctx.page(c, { title: parsed.subject ?? 'Message', body, personal: true });
  });

  app.get('/_local/outbox/:n/html', async (c) => {
    const message = await find(c.req.param('n'));
    if (!message) return c.notFound();
    const parsed = await PostalMime.parse(rawText(message));
    if (!parsed.html) return c.notFound();
    return c.body(parsed.html, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': MAIL_PREVIEW_POLICY,
      'X-Frame-Options': 'SAMEORIGIN',
      'Cache-Control': 'no-store',
    });
  });

  app.get('/_local/outbox/:n/raw', async (c) => {
    const message = await find(c.req.param('n'));
    if (!message) return c.notFound();
    return c.body(rawText(message), 200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    });
  });
}

function time(at: Date | string): number {
  const t = new Date(at).getTime();
  return Number.isNaN(t) ? 0 : t;
}

function rawText(message: OutboxMessage): string {
  return typeof message.raw === 'string' ? message.raw : new TextDecoder().decode(message.raw);
}

/** Plain text with its http(s) URLs as links, everything escaped. */
function linkify(text: string): SafeHtml[] {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)) {
    const index = match.index ?? 0;
    parts.push(html`${text.slice(last, index)}`, html`<a href="${match[0]}">${match[0]}</a>`);
    last = index + match[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return parts;
}
