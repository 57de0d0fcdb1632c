/**
 * The MIME message exactly as SES SendRawEmail takes it, built by nodemailer's MailComposer.
 *
 * Header rules:
 * - CR, LF or any other control character in ANY header input throws HeaderInjectionError naming
 *   the field, the subject included: content-derived subjects are flattened before they get here
 *   (renderEdition uses toHeaderText), so one found here is a bug or an attack, never repaired.
 * - Addresses (`to`, `from.address`, `replyTo`) must each be one plain `local@domain`
 *   (InvalidAddressError): a display name, a comment or a second address cannot slip in.
 * - `List-Unsubscribe: <url>` (RFC 2369) is written for any http(s) URL. `List-Unsubscribe-Post:
 *   List-Unsubscribe=One-Click` is added only when that URL is https (RFC 8058 section 3.1: the
 *   one-click header MUST come with an HTTPS URI), or http on a loopback host (127.0.0.1, ::1,
 *   localhost) so the local stack behaves as production does. A plain-http public URL gets
 *   List-Unsubscribe alone.
 * - Bodies are always quoted-printable: lines stay under 998 octets whatever the HTML minifier did.
 *   They are encoded by encodeBody (nodemailer's encoder; the parts an edition shares across
 *   recipients only once) and handed to MailComposer as ready parts; MailComposer writes every
 *   header and the multipart structure.
 *
 * No MJML or Liquid here: the send worker bundles this module.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWord, quoteString } from 'nodemailer/lib/mime-funcs';
import { isEmailAddress } from './check-address.js';
import { encodeBody } from './encode-body.js';
import { HeaderInjectionError, InvalidAddressError, MailHeaderError } from './errors.js';
import { hasControlCharacters } from './header-text.js';

export interface ComposeMimeInput {
  from: { name: string; address: string };
  replyTo?: string | undefined;
  to: string;
  subject: string;
  html: string;
  text: string;
  date: Date;
  /** `<id@domain>` or `id@domain`; generated from the sender's domain when absent. */
  messageId?: string | undefined;
  /** The recipient's one-click unsubscribe URL (http or https). */
  listUnsubscribeUrl?: string | undefined;
  /** The whole `List-Id` value, e.g. from {@link listIdFor}: `"Title" <label.domain>`. */
  listId?: string | undefined;
  /** Extra headers (name → value), e.g. `X-Gazette-Edition`. Structural headers cannot be replaced. */
  headers?: Record<string, string> | undefined;
}

/** Headers composeMime writes itself; `headers` may not set them. */
const RESERVED = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'list-id',
]);

const HEADER_NAME = /^[!-9;-~]+$/;
const MESSAGE_ID = /^<?([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+)>?$/;
const LIST_ID = /^(.*?)\s*<([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)+)>$/;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
// A header line holds at most 998 octets; keep room for the field name.
const MAX_URL = 900;

/** A text part, encoded: its own header lines, then the quoted-printable body (CRLF throughout). */
function textPart(type: 'plain' | 'html', body: string): { raw: string } {
  return {
    raw: `Content-Type: text/${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encodeBody(body)}`,
  };
}

/** The domain of an address as it goes on the wire: an internationalized one as punycode. */
function asciiDomain(address: string): string {
  return new URL(`http://${address.slice(address.lastIndexOf('@') + 1)}`).hostname;
}

function noControls(field: string, value: string): void {
  if (hasControlCharacters(value)) {
    throw new HeaderInjectionError(field, 'contains a line break or another control character');
  }
}

function address(field: string, value: string): string {
  noControls(field, value);
  if (!isEmailAddress(value))
    throw new InvalidAddressError(
      field,
      `not a single plain email address: ${JSON.stringify(value.slice(0, 80))}`,
    );
  return value;
}

function unsubscribeHeaders(url: string): Record<string, { prepared: true; value: string }> {
  noControls('listUnsubscribeUrl', url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new MailHeaderError('listUnsubscribeUrl', 'not an absolute URL', { cause: error });
  }
  if (
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    /[\s<>]/.test(url) ||
    url.length > MAX_URL
  ) {
    throw new MailHeaderError(
      'listUnsubscribeUrl',
      `must be an http(s) URL without spaces or angle brackets, at most ${MAX_URL} characters`,
    );
  }
  const headers: Record<string, { prepared: true; value: string }> = {
    'List-Unsubscribe': { prepared: true, value: `<${url}>` },
  };
  if (parsed.protocol === 'https:' || LOOPBACK.has(parsed.hostname)) {
    headers['List-Unsubscribe-Post'] = { prepared: true, value: 'List-Unsubscribe=One-Click' };
  }
  return headers;
}

function listIdHeader(value: string): { prepared: true; value: string } {
  noControls('listId', value);
  const match = LIST_ID.exec(value.trim());
  if (!match || value.length > MAX_URL)
    throw new MailHeaderError('listId', 'must be `"Title" <label.domain>` (RFC 2919)');
  const id = match[2] as string;
  let phrase = (match[1] ?? '').trim();
  if (phrase.startsWith('"') && phrase.endsWith('"') && phrase.length >= 2) {
    phrase = phrase.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (phrase === '') return { prepared: true, value: `<${id}>` };
  // Printable ASCII goes as a quoted-string; anything else as RFC 2047 encoded words (never inside quotes).
  const shown = /^[\x20-\x7e]*$/.test(phrase) ? quoteString(phrase) : encodeWord(phrase, 'Q', 52);
  return { prepared: true, value: `${shown} <${id}>` };
}

function extraHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new MailHeaderError(`headers.${name}`, 'not a valid header name');
    if (RESERVED.has(name.toLowerCase()))
      throw new MailHeaderError(`headers.${name}`, 'is set by composeMime itself');
    noControls(`headers.${name}`, value);
    out[name] = value;
  }
  return out;
}

/**
 * Builds the complete RFC 5322 message: From (with display name), To, Reply-To, Subject
 * (RFC 2047 encoded where needed), Date, Message-ID, MIME-Version, List-Unsubscribe (+ Post),
 * List-Id, and a multipart/alternative body (text, then HTML), quoted-printable.
 * Throws HeaderInjectionError, InvalidAddressError or MailHeaderError, naming the field.
 */
export async function composeMime(input: ComposeMimeInput): Promise<Uint8Array> {
  const to = address('to', input.to);
  const from = address('from.address', input.from.address);
  noControls('from.name', input.from.name);
  const replyTo = input.replyTo === undefined ? undefined : address('replyTo', input.replyTo);
  noControls('subject', input.subject);
  if (input.subject.trim() === '') throw new MailHeaderError('subject', 'is empty');
  if (!(input.date instanceof Date) || Number.isNaN(input.date.getTime())) {
    throw new MailHeaderError('date', 'not a valid date');
  }
  let messageId: string | undefined;
  if (input.messageId !== undefined) {
    noControls('messageId', input.messageId);
    const match = MESSAGE_ID.exec(input.messageId);
    if (!match) throw new MailHeaderError('messageId', 'must look like <id@domain>');
    messageId = `<${match[1]}>`;
  }
  const headers: Record<string, string | { prepared: true; value: string }> = {
    ...extraHeaders(input.headers ?? {}),
    ...(input.listUnsubscribeUrl !== undefined ? unsubscribeHeaders(input.listUnsubscribeUrl) : {}),
    ...(input.listId !== undefined ? { 'List-Id': listIdHeader(input.listId) } : {}),
  };
  const composer = new MailComposer({
    from: { name: input.from.name, address: from },
    to: { name: '', address: to },
    ...(replyTo !== undefined ? { replyTo: { name: '', address: replyTo } } : {}),
    subject: input.subject,
    date: input.date,
    // One random UUID each, where nodemailer would read random bytes five times for the id and
    // once more for the boundary: the send path composes a message per recipient.
    messageId: messageId ?? `<${crypto.randomUUID()}@${asciiDomain(from)}>`,
    baseBoundary: crypto.randomUUID().replaceAll('-', ''),
    text: textPart('plain', input.text),
    html: textPart('html', input.html),
    headers,
    // No newline conversion pass over the whole message: MailComposer writes CRLF itself, and
    // the parts come with CRLF only.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const message = await composer.compile().build();
  return new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}
