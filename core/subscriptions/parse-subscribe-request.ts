import type { Cadence } from '../model.js';
import { emailProblem, normalizeEmail } from '../normalize-email.js';
import { type FieldProblem, findControlCharacters } from './field-problem.js';
import { parseCadence, parseTopics } from './parse-choices.js';

/** Longest address accepted (RFC 5321 path limit less the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

/** Where a subscription came from, as the consent record keeps it. */
export type SubscribeForm = 'subscribe-page' | 'archive' | 'api';
const FORMS: readonly SubscribeForm[] = ['subscribe-page', 'archive', 'api'];

/** A subscribe request, valid and normalized. */
export interface SubscribeRequest {
  /** Normalized address. */
  email: string;
  cadence: Cadence;
  /** Known topics, deduplicated, in the order given. */
  topics: string[];
  form: SubscribeForm;
  /** The hidden `website` field was filled: a bot. Answer as usual, do nothing. */
  honeypot: boolean;
}

/** What a request may choose from, and what it gets when it chooses nothing. */
export interface SubscribeRequestRules {
  cadences: readonly Cadence[];
  defaultCadence: Cadence;
  knownTopics: readonly string[];
  /** The form to record when the request names none (`archive` for forms, `api` for JSON). */
  defaultForm: SubscribeForm;
}

/** The request, or the first field that is wrong. */
export type ParsedSubscribeRequest =
  | { ok: true; value: SubscribeRequest }
  | { ok: false; problem: FieldProblem };

/**
 * Validates a subscribe request from a form (`topics` repeated) or JSON (`topics` an array) and
 * names the first field that is wrong. Fields it does not know are ignored, but every field is
 * checked for line breaks and control characters.
 */
export function parseSubscribeRequest(
  fields: Record<string, unknown>,
  rules: SubscribeRequestRules,
): ParsedSubscribeRequest {
  const fail = (field: string, message: string): ParsedSubscribeRequest => ({
    ok: false,
    problem: { field, message },
  });
  const control = findControlCharacters(fields);
  if (control) return { ok: false, problem: control };

  const rawEmail = fields.email;
  if (rawEmail === undefined || rawEmail === '') return fail('email', 'is required');
  if (typeof rawEmail !== 'string') return fail('email', 'must be a single string');
  if (rawEmail.length > MAX_EMAIL_LENGTH)
    return fail('email', `must be at most ${MAX_EMAIL_LENGTH} characters long`);
  const email = normalizeEmail(rawEmail);
  const problem = emailProblem(email);
  if (problem) return fail('email', problem);

  const cadence = parseCadence(fields.cadence, rules.cadences, rules.defaultCadence);
  if (!cadence.ok) return cadence;
  const topics = parseTopics(fields.topics, rules.knownTopics);
  if (!topics.ok) return topics;

  const rawForm = fields.form;
  let form = rules.defaultForm;
  if (rawForm !== undefined && rawForm !== '') {
    const known = FORMS.find((f) => f === rawForm);
    if (!known) return fail('form', 'unknown form');
    form = known;
  }

  const website = fields.website;
  const honeypot =
    website !== undefined && website !== '' && !(Array.isArray(website) && website.length === 0);
  return { ok: true, value: { email, cadence: cadence.value, topics: topics.value, form, honeypot } };
}
