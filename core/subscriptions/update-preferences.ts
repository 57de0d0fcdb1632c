import type { Cadence } from '../model.js';
import type { Subscriber } from '../subscriber.js';
import { type FieldProblem, findControlCharacters } from './field-problem.js';
import { parseCadence, parseTopics } from './parse-choices.js';
import type { TokenProblem } from './resolve-token.js';
import { resolveToken } from './resolve-token.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { updateWithRetry } from './update-with-retry.js';

/** The cadences the publication offers and the topics there are. */
export interface PreferenceRules {
  cadences: readonly Cadence[];
  knownTopics: readonly string[];
}

/** The updated record, a link problem, or the first field that is wrong. */
export type PreferencesResult =
  | { ok: true; subscriber: Subscriber }
  | { ok: false; reason: TokenProblem }
  | { ok: false; reason: 'invalid'; problem: FieldProblem };

/** Validates `cadence` (required) and `topics` (known tags; none = everything) from a form or JSON. */
export function parsePreferences(
  fields: Record<string, unknown>,
  rules: PreferenceRules,
): { ok: true; cadence: Cadence; topics: string[] } | { ok: false; problem: FieldProblem } {
  const control = findControlCharacters(fields);
  if (control) return { ok: false, problem: control };
  const cadence = parseCadence(fields.cadence, rules.cadences);
  if (!cadence.ok) return cadence;
  const topics = parseTopics(fields.topics, rules.knownTopics);
  if (!topics.ok) return topics;
  return { ok: true, cadence: cadence.value, topics: topics.value };
}

/** Changes cadence and topics through a preferences link. Status is left as it is. */
export async function updatePreferences(
  deps: SubscriptionDeps,
  token: string | undefined,
  fields: Record<string, unknown>,
  rules: PreferenceRules,
): Promise<PreferencesResult> {
  const resolved = await resolveToken(deps, token, 'preferences');
  if (!resolved.ok) return resolved;
  const parsed = parsePreferences(fields, rules);
  if (!parsed.ok) return { ok: false, reason: 'invalid', problem: parsed.problem };
  const { emailKey, id } = resolved.subscriber;
  const at = deps.clock.now().toISOString();

  const applied = await updateWithRetry<PreferencesResult>(deps, emailKey, (current) => {
    if (!current || current.id !== id) return { result: { ok: false, reason: 'unknown-subscriber' } };
    const next = { ...current, cadence: parsed.cadence, topics: parsed.topics, updatedAt: at };
    return { write: next, result: { ok: true, subscriber: next } };
  });
  if (applied.written) {
    deps.logger?.info('preferences changed', { subscriberId: id, cadence: parsed.cadence });
    return { ok: true, subscriber: applied.written };
  }
  return applied.result;
}
