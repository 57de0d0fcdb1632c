/**
 * The editor API's inputs, checked before any use case runs: every refusal is a 400 naming the
 * field and what it must be.
 */
import type { Context } from 'hono';
import { isSlug } from '../../core/content/slugify.js';
import type { EditionRequest } from '../../core/editions/create-edition.js';
import { DIGEST_CADENCES, type DigestCadence } from '../../core/model.js';
import { quoteValue } from '../../core/subscriptions/field-problem.js';
import { badRequest } from '../http-problem.js';

const EDITION_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

/** Default and largest number of editions listed. */
export const DEFAULT_LIST_LIMIT = 20;

/** `{ cadence }` or `{ post }` from a JSON body; any other field is refused by name. */
export function editionRequestFromBody(fields: Record<string, unknown>): EditionRequest {
  for (const name of Object.keys(fields)) {
    if (name !== 'cadence' && name !== 'post') {
      throw badRequest(
        name.slice(0, 60),
        'unknown field; send "cadence" (daily or weekly) or "post" (a slug)',
      );
    }
  }
  return editionRequest(fields.cadence, fields.post);
}

/** `?cadence=` or `?post=` of a preview; `format` is read separately. */
export function editionRequestFromQuery(c: Context): EditionRequest {
  const queries = c.req.queries();
  for (const [name, values] of Object.entries(queries)) {
    if (name !== 'cadence' && name !== 'post' && name !== 'format') {
      throw badRequest(name.slice(0, 60), 'unknown parameter; use cadence, post and format');
    }
    if (values.length > 1) throw badRequest(name, 'give it once');
  }
  return editionRequest(c.req.query('cadence'), c.req.query('post'));
}

function editionRequest(cadence: unknown, post: unknown): EditionRequest {
  if (cadence !== undefined && post !== undefined) {
    throw badRequest('cadence', 'give either cadence or post, not both');
  }
  if (post !== undefined) {
    if (typeof post !== 'string' || !isSlug(post)) {
      throw badRequest(
        'post',
        `must be a post slug (lowercase a-z, 0-9 and single hyphens)${typeof post === 'string' ? `, got ${quoteValue(post)}` : ''}`,
      );
    }
    return { post };
  }
  if (cadence === undefined) {
    throw badRequest('cadence', 'give cadence (daily or weekly) or post (a post slug)');
  }
  if (cadence === 'immediate') {
    throw badRequest('cadence', 'immediate subscribers get one edition per post: give post (its slug)');
  }
  if (typeof cadence !== 'string' || !DIGEST_CADENCES.includes(cadence as DigestCadence)) {
    throw badRequest(
      'cadence',
      `must be one of ${DIGEST_CADENCES.join(', ')}${typeof cadence === 'string' ? `, got ${quoteValue(cadence)}` : ''}`,
    );
  }
  return { cadence: cadence as DigestCadence };
}

/** The `<id>` of `/editor/editions/<id>…`: a plain edition id such as `weekly-2026-W48`. */
export function editionIdParam(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!EDITION_ID.test(id)) {
    throw badRequest('id', 'must be an edition id such as weekly-2026-W48, daily-2026-11-27 or post-<slug>');
  }
  return id;
}

/** `?limit=` of the list: 1 … `max`, {@link DEFAULT_LIST_LIMIT} when absent. */
export function limitParam(c: Context, max: number): number {
  const raw = c.req.query('limit');
  if (raw === undefined) return Math.min(DEFAULT_LIST_LIMIT, max);
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw badRequest('limit', `must be a whole number from 1 to ${max}, got ${quoteValue(raw)}`);
  }
  return Number(raw);
}

/** `{ "to": ["a@example.com", …] }` of a test send; the addresses themselves are checked by the use case. */
export function testRecipientsFromBody(fields: Record<string, unknown>): unknown[] {
  for (const name of Object.keys(fields)) {
    if (name !== 'to') throw badRequest(name.slice(0, 60), 'unknown field; send "to", a list of addresses');
  }
  const to = fields.to;
  if (to === undefined) throw badRequest('to', 'give the addresses to send the test to');
  if (!Array.isArray(to)) throw badRequest('to', 'must be a list of addresses, e.g. ["editor@example.com"]');
  return to;
}
