/**
 * What the send worker needs of publication.yaml: the title (List-Id) and the sender. The CDK app
 * reads publication.yaml with the full schema at synthesis and hands the worker these fields as
 * JSON in GAZETTE_PUBLICATION, so the worker's bundle carries no YAML parser and no publication
 * schema. The worker checks the JSON again (a hand-edited variable must not put a line break into
 * a mail header) with zod/mini, which leaves zod's translated messages out of the bundle.
 */
import * as z from 'zod/mini';
import type { Publication } from '../../core/model.js';

/** The publication fields the worker uses besides the URL (GAZETTE_PUBLIC_URL is the base of links). */
export type WorkerPublication = Pick<Publication, 'title' | 'email'>;

/** The worker's fields of a publication validated by the full schema. */
export function workerPublicationOf(publication: Publication): WorkerPublication {
  const { from, replyTo } = publication.email;
  return {
    title: publication.title,
    email: {
      from: { name: from.name, address: from.address },
      ...(replyTo !== undefined ? { replyTo } : {}),
    },
  };
}

/** GAZETTE_PUBLICATION's value for a publication. */
export function workerPublicationJson(publication: Publication): string {
  return JSON.stringify(workerPublicationOf(publication));
}

// Header text: one line, no control characters (they would end or fold a header).
const ONE_LINE = /^[^\u0000-\u001f\u007f\u2028\u2029\u0085]*$/;

function text(field: string, max: number) {
  return z
    .string({ error: `${field} must be text` })
    .check(
      z.trim(),
      z.minLength(1, `${field} is empty`),
      z.maxLength(max, `${field} is longer than ${max} characters`),
      z.regex(ONE_LINE, `${field} must be one line without control characters`),
    );
}

/** The same address pattern as publication.yaml's schema (zod's `email` format). */
function address(field: string) {
  return z
    .email({ error: `${field} must be an e-mail address` })
    .check(z.maxLength(254, `${field} is longer than 254 characters`));
}

const schema = z.object(
  {
    title: text('title', 300),
    email: z.object(
      {
        from: z.object(
          { name: text('email.from.name', 200), address: address('email.from.address') },
          { error: 'email.from must be an object with name and address' },
        ),
        replyTo: z.optional(address('email.replyTo')),
      },
      { error: 'email must be an object with from' },
    ),
  },
  { error: 'must be a JSON object with title and email' },
);

/**
 * GAZETTE_PUBLICATION's value, checked: the fields, or every problem found.
 */
export function parseWorkerPublication(
  json: string,
): { ok: true; value: WorkerPublication } | { ok: false; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, problems: ['is not JSON'] };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
  const { title, email } = parsed.data;
  return {
    ok: true,
    value: {
      title,
      email: {
        from: email.from,
        ...(email.replyTo !== undefined ? { replyTo: email.replyTo } : {}),
      },
    },
  };
}
