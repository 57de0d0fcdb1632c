import { emailKeyOf } from '../email-key.js';
import { emailProblem, normalizeEmail } from '../normalize-email.js';
import type { SubscriberDirectory, SubscriberStore, SuppressionList } from '../ports.js';
import type { Subscriber, Suppression } from '../subscriber.js';

/** Most matches a search returns; a query that finds more asks for a longer query. */
export const MAX_SEARCH_RESULTS = 50;
/** Shortest partial query: one or two characters would match half the list. */
export const MIN_SEARCH_LENGTH = 3;
const PAGE_SIZE = 500;

export interface SearchDeps {
  store: SubscriberStore;
  directory: SubscriberDirectory;
  suppressions: SuppressionList;
}

export type SearchResult =
  | {
      ok: true;
      /** Matching records, by address. */
      subscribers: Subscriber[];
      /** True when more matched than {@link MAX_SEARCH_RESULTS}. */
      truncated: boolean;
      /**
       * For a complete address: its suppression, if any. A suppression outlives an erased record
       * (only its hash is kept), so it answers "why does this address get nothing?".
       */
      suppression?: Suppression | undefined;
    }
  | { ok: false; problem: string };

/**
 * Finds subscribers by address. A complete address is looked up directly (one read, with its
 * suppression); a part of one (`@example.org`, `ann`) scans the list for addresses containing
 * it, case-insensitively, up to {@link MAX_SEARCH_RESULTS}.
 */
export async function searchSubscribers(deps: SearchDeps, query: string): Promise<SearchResult> {
  const q = query.trim();
  if (/[\u0000-\u001f\u007f]/.test(q))
    return { ok: false, problem: 'q: must not contain control characters' };
  if (q.length > 254) return { ok: false, problem: 'q: must be at most 254 characters long' };
  const normalized = normalizeEmail(q);
  if (emailProblem(normalized) === undefined) {
    const key = emailKeyOf(normalized);
    const [found, suppression] = await Promise.all([deps.store.get(key), deps.suppressions.get(key)]);
    return { ok: true, subscribers: found ? [found] : [], truncated: false, suppression };
  }
  if (q.length < MIN_SEARCH_LENGTH) {
    return { ok: false, problem: `q: give at least ${MIN_SEARCH_LENGTH} characters of the address` };
  }
  const needle = q.toLowerCase();
  const matches: Subscriber[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.directory.page(cursor, PAGE_SIZE);
    for (const s of page.subscribers) if (s.email.includes(needle)) matches.push(s);
    cursor = page.cursor;
  } while (cursor !== undefined && matches.length <= MAX_SEARCH_RESULTS);
  matches.sort((a, b) => a.email.localeCompare(b.email, 'en'));
  return {
    ok: true,
    subscribers: matches.slice(0, MAX_SEARCH_RESULTS),
    truncated: matches.length > MAX_SEARCH_RESULTS,
  };
}
