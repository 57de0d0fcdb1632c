import type { TokenPurpose } from '../ports.js';
import type { Subscriber } from '../subscriber.js';
import type { SubscriptionDeps } from './subscription-deps.js';

/** Why a signed link does not lead to a subscriber. */
export type TokenProblem =
  | 'missing'
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'wrong-purpose'
  /** Well signed, but the record it was made for was deleted or replaced by a newer one. */
  | 'unknown-subscriber';

/** The record a link is for, or why there is none. */
export type ResolvedToken = { ok: true; subscriber: Subscriber } | { ok: false; reason: TokenProblem };

/**
 * Checks a link's token (signature, expiry, purpose) and loads the record it names. The record's
 * random id must match the token's, so links minted for a deleted record never act on a new one.
 */
export async function resolveToken(
  deps: Pick<SubscriptionDeps, 'store' | 'signer' | 'clock'>,
  token: string | undefined,
  purpose: TokenPurpose,
): Promise<ResolvedToken> {
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  const check = deps.signer.verify(token, purpose, deps.clock.now());
  if (!check.ok) return { ok: false, reason: check.reason };
  const subscriber = await deps.store.get(check.claims.emailKey);
  if (!subscriber || subscriber.id !== check.claims.subscriberId) {
    return { ok: false, reason: 'unknown-subscriber' };
  }
  return { ok: true, subscriber };
}
