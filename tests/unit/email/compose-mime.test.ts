import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ComposeMimeInput, composeMime } from '../../../core/email/compose-mime.js';
import { HeaderInjectionError, InvalidAddressError, MailHeaderError } from '../../../core/email/errors.js';
import { listIdFor } from '../../../core/email/list-id.js';
import { compileEdition, personalize } from '../../../core/email/personalize.js';
import { digestMimeInput, links, makePosts, renderWeeklyDigest } from './fixtures.js';
import { decodeWords, headerFields, parseMail } from './mime.js';

const rendered = await renderWeeklyDigest(makePosts(5));
const mail = personalize(compileEdition(rendered), links);

function input(overrides: Partial<ComposeMimeInput> = {}): ComposeMimeInput {
  return digestMimeInput(rendered, overrides);
}

const ALLOWED_HEADERS = new Set([
  'From',
  'To',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'List-ID',
]);

describe('composeMime', () => {
  it('personalize → compose → parse: every header and both parts are there', async () => {
    const raw = await composeMime(input());
    const parsed = await parseMail(raw);
    expect(parsed.from?.value).toEqual([{ name: 'Gazette Dispatch', address: 'dispatch@news.example.com' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([
      'reader@example.net',
    ]);
    expect(parsed.replyTo?.value[0]?.address).toBe('editor@news.example.com');
    expect(parsed.subject).toBe(rendered.subject);
    expect(parsed.date?.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(parsed.messageId).toBe('<weekly-2026-W47.reader@news.example.com>');
    expect(parsed.headers.get('mime-version')).toBe('1.0');
    expect((parsed.headers.get('content-type') as { value: string }).value).toBe('multipart/alternative');
    const list = parsed.headers.get('list') as Record<string, { url?: string; name?: string; id?: string }>;
    expect(list.unsubscribe?.url).toBe(links.unsubscribeUrl);
    expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
    expect(list.id?.id).toBe('gazette-dispatch.news.example.com');
    expect(list.id?.name).toBe('Gazette Dispatch');
    expect(headerFields(raw)).toContainEqual([
      'List-ID',
      '"Gazette Dispatch" <gazette-dispatch.news.example.com>',
    ]);
    expect(parsed.text?.replace(/\r\n/g, '\n')).toBe(mail.text);
    expect(typeof parsed.html === 'string' ? parsed.html.replace(/\r\n/g, '\n') : '').toBe(mail.html);
  });

  it('keeps every line of the message within RFC 5322’s 998 octets (quoted-printable bodies)', async () => {
    const raw = Buffer.from(
      await composeMime(input({ html: `<p>${'x'.repeat(5000)}</p>`, text: 'y'.repeat(3000) })),
    );
    const text = raw.toString('latin1');
    expect(text).toContain('Content-Transfer-Encoding: quoted-printable');
    for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('adds List-Unsubscribe-Post only with an https URL (RFC 8058) or on a loopback host', async () => {
    const post = async (url: string | undefined) =>
      headerFields(await composeMime(input({ listUnsubscribeUrl: url })))
        .filter(([name]) => name.startsWith('List-Unsubscribe'))
        .map(([name, value]) => `${name}: ${value}`);
    expect(await post('https://news.example.com/u?t=1')).toEqual([
      'List-Unsubscribe: <https://news.example.com/u?t=1>',
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ]);
    expect(await post('http://127.0.0.1:3000/unsubscribe?token=a')).toEqual([
      'List-Unsubscribe: <http://127.0.0.1:3000/unsubscribe?token=a>',
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ]);
    expect(await post('http://news.example.com/u')).toEqual([
      'List-Unsubscribe: <http://news.example.com/u>',
    ]);
    expect(await post(undefined)).toEqual([]);
    await expect(composeMime(input({ listUnsubscribeUrl: 'mailto:u@example.com' }))).rejects.toThrow(
      /listUnsubscribeUrl/,
    );
    await expect(composeMime(input({ listUnsubscribeUrl: 'https://x.example/<a>' }))).rejects.toThrow(
      MailHeaderError,
    );
  });

  it('encodes a non-ASCII List-Id title as RFC 2047 words outside quotes', async () => {
    const listId = listIdFor({ title: 'Zeitung für „alle“', url: 'https://zeitung.example.de/' });
    expect(listId).toBe('"Zeitung für „alle“" <zeitung-fur-alle.zeitung.example.de>');
    const field = headerFields(await composeMime(input({ listId }))).find(([name]) => name === 'List-ID');
    const [, value] = field ?? ['', ''];
    expect(value).toMatch(/^=\?UTF-8\?Q\?.*\?= <zeitung-fur-alle\.zeitung\.example\.de>$/);
    expect(await decodeWords(value.replace(/ <[^>]+>$/, ''))).toBe('Zeitung für „alle“');
  });

  it('refuses CR/LF in any header field, naming the field', async () => {
    const cases: Array<[string, Partial<ComposeMimeInput>]> = [
      ['to', { to: 'reader@example.net\r\nBcc: victim@example.org' }],
      ['from.address', { from: { name: 'A', address: 'a@example.com\nBcc: b@example.org' } }],
      ['from.name', { from: { name: 'A\r\nBcc: b@example.org', address: 'a@example.com' } }],
      ['replyTo', { replyTo: 'r@example.com\r\n' }],
      ['subject', { subject: 'Hello\r\nBcc: victim@example.org' }],
      ['subject', { subject: 'Hello\u2028there' }],
      ['messageId', { messageId: '<a@b.example>\r\nX: y' }],
      ['listUnsubscribeUrl', { listUnsubscribeUrl: 'https://x.example/u\r\nBcc: v@example.org' }],
      ['listId', { listId: '"A" <a.example.com>\nBcc: v@example.org' }],
      ['headers.X-Edition', { headers: { 'X-Edition': 'w\r\nBcc: v@example.org' } }],
    ];
    for (const [field, overrides] of cases) {
      const error = await composeMime(input(overrides)).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(HeaderInjectionError);
      expect((error as HeaderInjectionError).field).toBe(field);
      expect((error as Error).message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    }
  });

  it('takes exactly one plain address per address field', async () => {
    for (const to of [
      'a@b',
      'two@example.com, three@example.com',
      'Name <n@example.com>',
      'no-at-sign',
      '@example.com',
      'a b@example.com',
    ]) {
      await expect(composeMime(input({ to })), to).rejects.toThrow(InvalidAddressError);
    }
    await expect(composeMime(input({ replyTo: 'x' }))).rejects.toThrow(
      /^replyTo: not a single plain email address/,
    );
    // An internationalized domain goes out as punycode.
    const fields = headerFields(await composeMime(input({ to: 'uni@exämple.com' })));
    expect(fields).toContainEqual(['To', 'uni@xn--exmple-cua.com']);
  });

  it('passes extra headers through and keeps the structural ones for itself', async () => {
    const fields = headerFields(
      await composeMime(input({ headers: { 'X-Gazette-Edition': 'weekly-2026-W47' } })),
    );
    expect(fields).toContainEqual(['X-Gazette-Edition', 'weekly-2026-W47']);
    await expect(composeMime(input({ headers: { Bcc: 'x@example.org' } }))).rejects.toThrow(
      /headers\.Bcc: is set by composeMime/,
    );
    await expect(composeMime(input({ headers: { 'Bad Name': 'x' } }))).rejects.toThrow(
      /not a valid header name/,
    );
    await expect(composeMime(input({ subject: '  ' }))).rejects.toThrow(/subject: is empty/);
    await expect(composeMime(input({ date: new Date(Number.NaN) }))).rejects.toThrow(
      /date: not a valid date/,
    );
  });

  it('generates a Message-ID on the sender’s domain when none is given', async () => {
    const parsed = await parseMail(await composeMime(input({ messageId: undefined })));
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]+@news\.example\.com>$/);
    const other = await parseMail(await composeMime(input({ messageId: undefined })));
    expect(other.messageId).not.toBe(parsed.messageId);
    // An internationalized sender domain goes into the id as punycode, as it does into From.
    const idn = await composeMime(
      input({ messageId: undefined, from: { name: 'Bücher', address: 'news@bücher.example' } }),
    );
    expect(headerFields(idn).find(([name]) => name === 'Message-ID')?.[1]).toMatch(
      /^<[0-9a-f-]+@xn--bcher-kva\.example>$/,
    );
  });
});

describe('composeMime properties', () => {
  const hostile = fc.string({
    unit: fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
      fc.constantFrom(
        '\r',
        '\n',
        '\r\n',
        '\u2028',
        '\u2029',
        '\u0085',
        '\t',
        '\u0000',
        ' ',
        ':',
        ';',
        ',',
        '<',
        '>',
        '"',
        '@',
        '=?',
        '?=',
        'é',
        '😀',
        '中',
        'Bcc: v@example.org',
      ),
    ),
    maxLength: 40,
  });
  const localPart = fc
    .stringMatching(/^[a-z0-9][a-z0-9.+_-]{0,20}[a-z0-9]$/)
    .filter((s) => !s.includes('..'));
  const address = fc.oneof(
    fc
      .tuple(localPart, fc.constantFrom('example.com', 'news.example.org', 'bücher.example'))
      .map(([l, d]) => `${l}@${d}`),
    hostile,
  );

  it('no header ever carries a line of its own: every field is one we set', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, address, address, async (subject, name, to, replyTo) => {
        let raw: Uint8Array;
        try {
          raw = await composeMime(
            input({ subject, from: { name, address: 'dispatch@news.example.com' }, to, replyTo }),
          );
        } catch (error) {
          expect(error).toBeInstanceOf(MailHeaderError);
          return;
        }
        const fields = headerFields(raw);
        for (const [field] of fields)
          expect(ALLOWED_HEADERS.has(field), `unexpected header ${field}`).toBe(true);
        expect(fields.filter(([field]) => field === 'To')).toHaveLength(1);
        expect(fields.filter(([field]) => field === 'Subject')).toHaveLength(1);
        const parsed = await parseMail(raw);
        expect(parsed.headers.has('bcc')).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('a subject or sender name without control characters round-trips through encoding', async () => {
    const printable = fc
      .string({
        unit: fc.oneof(
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
          fc.constantFrom('é', '😀', '中', '"', '=?', '?=', '<', ',', ':'),
        ),
        minLength: 1,
        maxLength: 60,
      })
      .map((s) =>
        s
          .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((s) => s !== '');
    await fc.assert(
      fc.asyncProperty(printable, printable, async (subject, name) => {
        const parsed = await parseMail(
          await composeMime(input({ subject, from: { name, address: 'dispatch@news.example.com' } })),
        );
        expect(parsed.subject).toBe(subject);
        expect(parsed.from?.value[0]?.name).toBe(name);
      }),
      { numRuns: 150 },
    );
  });
});

describe('composeMime cost', () => {
  it('prints the time per message for a 5-post digest (benchmarks live in bench/)', async () => {
    const base = input();
    for (let i = 0; i < 50; i++) await composeMime(base);
    const n = 200;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    let bytes = 0;
    for (let i = 0; i < n; i++)
      bytes += (await composeMime({ ...base, to: `reader${i}@example.net` })).byteLength;
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / n;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000 / n;
    // CPU time is printed too: on a shared machine wall time mostly measures the neighbours.
    console.log(
      `composeMime: ${ms.toFixed(3)} ms wall, ${cpuMs.toFixed(3)} ms CPU per message (${Math.round(bytes / n)} bytes)`,
    );
    expect(bytes).toBeGreaterThan(n * mail.html.length);
  });
});
