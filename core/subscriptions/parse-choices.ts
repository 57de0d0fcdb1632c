import type { Cadence } from '../model.js';
import { type FieldProblem, quoteValue } from './field-problem.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };

/** `cadence` among the allowed ones; absent or empty gives `fallback`, or a problem when there is none. */
export function parseCadence(
  raw: unknown,
  cadences: readonly Cadence[],
  fallback?: Cadence,
): Parsed<Cadence> {
  if (raw === undefined || raw === '') {
    return fallback
      ? { ok: true, value: fallback }
      : { ok: false, problem: { field: 'cadence', message: 'is required' } };
  }
  if (typeof raw !== 'string')
    return { ok: false, problem: { field: 'cadence', message: 'must be a single string' } };
  const cadence = cadences.find((c) => c === raw);
  if (!cadence) {
    return {
      ok: false,
      problem: {
        field: 'cadence',
        message: `unknown cadence ${quoteValue(raw)} (one of ${cadences.join(', ')})`,
      },
    };
  }
  return { ok: true, value: cadence };
}

/**
 * `topics` as a list (JSON array, repeated form field, or one value), each a known tag,
 * deduplicated in the order given; empty values are dropped. None = everything.
 */
export function parseTopics(raw: unknown, knownTopics: readonly string[]): Parsed<string[]> {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const topics: string[] = [];
  for (const topic of list) {
    if (typeof topic !== 'string') {
      return { ok: false, problem: { field: 'topics', message: 'must be a list of topic names' } };
    }
    if (topic === '') continue;
    if (!knownTopics.includes(topic)) {
      return { ok: false, problem: { field: 'topics', message: `unknown topic ${quoteValue(topic)}` } };
    }
    if (!topics.includes(topic)) topics.push(topic);
  }
  return { ok: true, value: topics };
}
