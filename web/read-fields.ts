import type { Context } from 'hono';
import { badRequest, HttpProblemError } from './http-problem.js';

export type BodyKind = 'form' | 'json';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** The media type of the request body, lower-cased, without parameters. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Reads a form (URL-encoded or multipart) or JSON body into plain fields. Repeated form fields
 * become arrays. Anything else is refused: 415 for another media type, 400 for malformed JSON, a
 * JSON value that is not an object, or a file where text was expected.
 */
export async function readFields(
  c: Context,
  accepted: readonly BodyKind[],
): Promise<{ kind: BodyKind; fields: Record<string, unknown> }> {
  const type = mediaType(c);
  const isForm = FORM_TYPES.includes(type);
  const isJson = type === 'application/json' || type.endsWith('+json');
  if ((isForm && accepted.includes('form')) || (isJson && accepted.includes('json'))) {
    return isJson ? { kind: 'json', fields: await readJson(c) } : { kind: 'form', fields: await readForm(c) };
  }
  const allowed = [
    ...(accepted.includes('form') ? FORM_TYPES : []),
    ...(accepted.includes('json') ? ['application/json'] : []),
  ];
  throw new HttpProblemError(415, {
    field: 'body',
    message: `${type ? `unsupported content type ${JSON.stringify(type.slice(0, 60))}` : 'no content type'}; send ${allowed.join(', ')}`,
  });
}

async function readJson(c: Context): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    throw badRequest('body', 'malformed JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('body', 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

async function readForm(c: Context): Promise<Record<string, unknown>> {
  let body: Record<string, unknown>;
  try {
    body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  } catch {
    throw badRequest('body', 'malformed form data');
  }
  for (const [name, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v !== 'string'))
      throw badRequest(name.slice(0, 60), 'must be text, not a file');
  }
  return body;
}

/** True when the client asked for JSON (JSON body, or an Accept header that prefers it to HTML). */
export function wantsJson(c: Context): boolean {
  const type = mediaType(c);
  if (type === 'application/json' || type.endsWith('+json')) return true;
  const accept = (c.req.header('accept') ?? '').toLowerCase();
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** A single string field from fields or the query string (`token` travels in either). */
export function stringField(c: Context, fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name] ?? c.req.query(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(name, 'must be a single string');
  return value;
}
