/** Reading composed messages back, with mailparser and by looking at the raw header block. */
import { type ParsedMail, simpleParser } from 'mailparser';

export function parseMail(raw: Uint8Array): Promise<ParsedMail> {
  return simpleParser(Buffer.from(raw));
}

/** The raw header block split into unfolded fields: `[name, value]` in order. */
export function headerFields(raw: Uint8Array): Array<[string, string]> {
  const text = Buffer.from(raw).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('no end of headers');
  const block = text.slice(0, end);
  // Folding is CRLF followed by a space or tab; any other CR or LF would be an injected line.
  const unfolded = block.replace(/\r\n(?=[ \t])/g, '');
  return unfolded.split('\r\n').map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
}

/** Decodes RFC 2047 encoded words the way a mail client does, by letting mailparser read them as a Subject. */
export async function decodeWords(value: string): Promise<string> {
  const parsed = await simpleParser(Buffer.from(`Subject: ${value}\r\n\r\n`));
  return parsed.subject ?? '';
}
