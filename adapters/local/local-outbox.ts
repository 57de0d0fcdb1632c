/**
 * Every mail sent in local mode, kept on disk so that the web app can show it at
 * `/_local/outbox` and `/_local/outbox.json`. The SES emulator drops custom headers
 * (List-Unsubscribe…), so the outbox keeps the exact bytes handed to the Mailer.
 *
 * Layout under the folder: `messages/<n>-<message id>.eml` (the raw MIME) and `index.jsonl`
 * (one JSON line per message, in sending order). It survives restarts; a line that cannot be
 * read (a crash mid-write) is skipped, never fatal.
 */
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the outbox is given for each sent message. */
export interface SentMail {
  messageId: string;
  /** ISO instant of the send. */
  at: string;
  from: string;
  to: string[];
  raw: Uint8Array;
}

/** A message as the outbox lists it. */
export interface OutboxMessage {
  messageId: string;
  at: string;
  from: string;
  to: string[];
  /** Decoded from the Subject header (RFC 2047 encoded-words resolved). */
  subject: string;
  /** The full MIME message, as sent. */
  raw: string;
}

interface IndexLine {
  messageId: string;
  at: string;
  from: string;
  to: string[];
  subject: string;
  file: string;
}

export class LocalOutbox {
  private readonly indexPath: string;
  private readonly messagesDir: string;
  /** Writes run one at a time, so index lines never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Messages in the index, read once: recording stays O(1) however long the outbox grows. */
  private count: number | undefined;

  constructor(readonly dir: string) {
    this.indexPath = join(dir, 'index.jsonl');
    this.messagesDir = join(dir, 'messages');
  }

  /** Stores one sent message. */
  record(mail: SentMail): Promise<void> {
    const run = this.queue.then(async () => {
      await mkdir(this.messagesDir, { recursive: true });
      this.count ??= (await this.readIndex()).length;
      const file = `${String(this.count + 1).padStart(6, '0')}-${mail.messageId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120)}.eml`;
      await writeFile(join(this.messagesDir, file), mail.raw);
      const line: IndexLine = {
        messageId: mail.messageId,
        at: mail.at,
        from: mail.from,
        to: [...mail.to],
        subject: subjectOf(mail.raw),
        file,
      };
      await appendFile(this.indexPath, `${JSON.stringify(line)}\n`);
      this.count++;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Messages, newest first, with their raw MIME. */
  async list(options: { limit?: number } = {}): Promise<OutboxMessage[]> {
    await this.queue;
    const lines = (await this.readIndex()).reverse().slice(0, options.limit ?? Number.POSITIVE_INFINITY);
    const out: OutboxMessage[] = [];
    for (const line of lines) {
      const message = await this.load(line);
      if (message) out.push(message);
    }
    return out;
  }

  /** One message by the provider's message id. */
  async get(messageId: string): Promise<OutboxMessage | undefined> {
    await this.queue;
    const line = (await this.readIndex()).findLast((l) => l.messageId === messageId);
    return line ? this.load(line) : undefined;
  }

  /** Forgets every message. */
  clear(): Promise<void> {
    const run = this.queue.then(async () => {
      await rm(this.indexPath, { force: true });
      await rm(this.messagesDir, { recursive: true, force: true });
      this.count = 0;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async readIndex(): Promise<IndexLine[]> {
    let text: string;
    try {
      text = await readFile(this.indexPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const lines: IndexLine[] = [];
    for (const row of text.split('\n')) {
      if (row.trim() === '') continue;
      try {
        const line = JSON.parse(row) as IndexLine;
        if (typeof line.messageId === 'string' && typeof line.file === 'string') lines.push(line);
      } catch {
        // A torn last line from an interrupted write: skip it.
      }
    }
    return lines;
  }

  private async load(line: IndexLine): Promise<OutboxMessage | undefined> {
    if (line.file.includes('/') || line.file.includes('\\') || line.file.startsWith('.')) return undefined;
    try {
      const raw = await readFile(join(this.messagesDir, line.file), 'utf8');
      return {
        messageId: line.messageId,
        at: line.at,
        from: line.from,
        to: line.to,
        subject: line.subject,
        raw,
      };
    } catch {
      return undefined;
    }
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * The Subject header of a raw message, unfolded, with RFC 2047 encoded-words decoded (B and Q,
 * any charset the runtime knows). Adjacent encoded-words are joined before decoding, so a
 * character split across two words comes out whole. Empty when there is no Subject.
 */
export function subjectOf(raw: Uint8Array | string): string {
  const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '');
  const match = /^subject:[ \t]*(.*)$/im.exec(head);
  return match ? decodeEncodedWords(match[1]!.trim()) : '';
}

/** Decodes RFC 2047 encoded-words in a header value. */
export function decodeEncodedWords(value: string): string {
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: number[] } | undefined;
  const flush = () => {
    if (pending) out += decodeBytes(pending.charset, pending.bytes);
    pending = undefined;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    // Whitespace between two encoded-words is not part of the text (RFC 2047 section 6.2).
    if (!(pending && /^[ \t]*$/.test(between))) {
      flush();
      out += between;
    }
    const charset = m[1]!.split('*')[0]!.toLowerCase();
    const bytes = m[2]!.toUpperCase() === 'B' ? fromBase64(m[3]!) : fromQ(m[3]!);
    if (pending && pending.charset !== charset) flush();
    pending ??= { charset, bytes: [] };
    pending.bytes.push(...bytes);
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

function fromBase64(text: string): number[] {
  return [...Buffer.from(text, 'base64')];
}

function fromQ(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0) & 0xff);
  }
  return bytes;
}

function decodeBytes(charset: string, bytes: number[]): string {
  try {
    return new TextDecoder(charset).decode(new Uint8Array(bytes));
  } catch {
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  }
}
