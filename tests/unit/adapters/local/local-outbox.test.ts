import { mkdtempSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEncodedWords, LocalOutbox, subjectOf } from '../../../../adapters/local/local-outbox.js';

async function mime(subject: string, extraHeaders: Record<string, string> = {}): Promise<Buffer> {
  return new MailComposer({
    from: 'Gazette <news@example.com>',
    to: 'ann@example.com',
    subject,
    text: 'Hello',
    headers: extraHeaders,
  })
    .compile()
    .build();
}

const ascii = (text: string) => new TextEncoder().encode(text);

describe('subjectOf', () => {
  it('reads a plain subject', () => {
    expect(subjectOf(ascii('From: a@b.c\r\nSubject: Weekly digest\r\n\r\nBody: not a header\r\n'))).toBe(
      'Weekly digest',
    );
  });

  it('decodes what nodemailer encodes, long and non-ASCII subjects included', async () => {
    for (const subject of [
      'Confirm your subscription to Café Gazette ☕',
      'Ünïcödé — a long subject that certainly needs folding over several encoded words 🎉 日本語のテキスト',
      '[TEST] Weekly №48: “quotes”, emoji 👩🏽‍💻 and a = sign_with_underscores',
    ]) {
      expect(subjectOf(await mime(subject))).toBe(subject);
    }
  });

  it('unfolds folded headers and ignores a Subject line in the body', () => {
    const raw = 'To: a@b.c\r\nSubject: part one\r\n  part two\r\nX: y\r\n\r\nSubject: not this\r\n';
    expect(subjectOf(raw)).toBe('part one  part two');
  });

  it('is empty without a Subject header', () => {
    expect(subjectOf('To: a@b.c\r\n\r\nHi')).toBe('');
  });

  it('decodes B and Q words in other charsets and keeps text between words', () => {
    expect(decodeEncodedWords('=?ISO-8859-1?Q?Caf=E9?= au lait')).toBe('Café au lait');
    expect(decodeEncodedWords('Re: =?utf-8?B?w6lsw6h2ZQ==?= =?utf-8?Q?_cours?=')).toBe('Re: élève cours');
    expect(decodeEncodedWords('=?utf-8*en?Q?hello_world?=')).toBe('hello world');
  });

  it('joins a character split across two encoded words', () => {
    // "é" is C3 A9 in UTF-8; each word holds one byte.
    expect(decodeEncodedWords('=?utf-8?Q?=C3?= =?utf-8?Q?=A9t=C3=A9?=')).toBe('été');
  });

  it('leaves malformed words and unknown charsets readable', () => {
    expect(decodeEncodedWords('=?utf-8?X?abc?= plain')).toBe('=?utf-8?X?abc?= plain');
    expect(decodeEncodedWords('=?no-such-charset?Q?abc?=')).toBe('abc');
  });
});

describe('LocalOutbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function record(outbox: LocalOutbox, n: number, subject = `Message ${n}`) {
    const raw = await mime(subject, { 'List-Unsubscribe': `<https://example.com/u/${n}>` });
    await outbox.record({
      messageId: `msg-${n}`,
      at: `2026-11-27T10:00:0${n}.000Z`,
      from: 'news@example.com',
      to: [`r${n}@example.com`],
      raw,
    });
    return raw;
  }

  it('lists messages newest first with the exact raw MIME, custom headers included', async () => {
    const outbox = new LocalOutbox(dir);
    const first = await record(outbox, 1, 'Première édition');
    await record(outbox, 2);
    const list = await outbox.list();
    expect(list.map((m) => m.messageId)).toEqual(['msg-2', 'msg-1']);
    const older = list[1]!;
    expect(older).toMatchObject({
      at: '2026-11-27T10:00:01.000Z',
      from: 'news@example.com',
      to: ['r1@example.com'],
      subject: 'Première édition',
    });
    expect(older.raw).toBe(first.toString('utf8'));
    expect(older.raw).toContain('List-Unsubscribe: <https://example.com/u/1>');
  });

  it('limits the list', async () => {
    const outbox = new LocalOutbox(dir);
    for (const n of [1, 2, 3]) await record(outbox, n);
    expect((await outbox.list({ limit: 2 })).map((m) => m.messageId)).toEqual(['msg-3', 'msg-2']);
  });

  it('finds one message by id, and nothing for an unknown id', async () => {
    const outbox = new LocalOutbox(dir);
    await record(outbox, 1);
    await record(outbox, 2);
    expect((await outbox.get('msg-1'))?.to).toEqual(['r1@example.com']);
    expect(await outbox.get('nope')).toBeUndefined();
  });

  it('survives a restart (a new instance over the same folder)', async () => {
    await record(new LocalOutbox(dir), 1);
    await record(new LocalOutbox(dir), 2);
    expect((await new LocalOutbox(dir).list()).map((m) => m.messageId)).toEqual(['msg-2', 'msg-1']);
  });

  it('keeps concurrent records apart and complete', async () => {
    const outbox = new LocalOutbox(dir);
    await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => record(outbox, n)));
    const list = await outbox.list();
    expect(list).toHaveLength(9);
    expect(new Set(list.map((m) => m.messageId)).size).toBe(9);
    for (const m of list) expect(m.raw).toContain(`/u/${m.messageId.slice(4)}>`);
  });

  it('skips a torn index line instead of failing', async () => {
    const outbox = new LocalOutbox(dir);
    await record(outbox, 1);
    await appendFile(join(dir, 'index.jsonl'), '{"messageId":"msg-2","at":');
    expect((await outbox.list()).map((m) => m.messageId)).toEqual(['msg-1']);
  });

  it('stores hostile message ids under a safe file name', async () => {
    const outbox = new LocalOutbox(dir);
    await outbox.record({
      messageId: '../../etc/passwd',
      at: 'x',
      from: 'a',
      to: ['b'],
      raw: ascii('Subject: x\r\n\r\n'),
    });
    expect((await outbox.get('../../etc/passwd'))?.subject).toBe('x');
  });

  it('clears everything', async () => {
    const outbox = new LocalOutbox(dir);
    await record(outbox, 1);
    await outbox.clear();
    expect(await outbox.list()).toEqual([]);
    await record(outbox, 2);
    expect((await outbox.list()).map((m) => m.messageId)).toEqual(['msg-2']);
  });

  it('is empty before anything was sent', async () => {
    expect(await new LocalOutbox(join(dir, 'not-yet')).list()).toEqual([]);
  });
});
