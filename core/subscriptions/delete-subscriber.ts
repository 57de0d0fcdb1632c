import type { TokenProblem } from './resolve-token.js';
import { resolveToken } from './resolve-token.js';
import type { SubscriptionDeps } from './subscription-deps.js';

/** The erased record's id, or why the link does not lead to one. */
export type DeleteResult = { ok: true; subscriberId: string } | { ok: false; reason: TokenProblem };

/**
 * Right to erasure: the record goes; only the address hash stays on the suppression list (reason
 * `deleted`) so the address is never mailed again unless it subscribes anew. A bounce or complaint
 * entry already there is kept, as it is the stronger reason. The suppression is written before the
 * record is erased, so a failure in between never leaves the address mailable.
 */
export async function deleteSubscriber(
  deps: SubscriptionDeps,
  token: string | undefined,
): Promise<DeleteResult> {
  const resolved = await resolveToken(deps, token, 'preferences');
  if (!resolved.ok) return resolved;
  const { emailKey, id } = resolved.subscriber;
  const existing = await deps.suppressions.get(emailKey);
  if (!existing) {
    await deps.suppressions.put({ emailKey, reason: 'deleted', at: deps.clock.now().toISOString() });
  }
  await deps.store.delete(emailKey);
  deps.logger?.info('subscriber deleted', { subscriberId: id });
  return { ok: true, subscriberId: id };
}
