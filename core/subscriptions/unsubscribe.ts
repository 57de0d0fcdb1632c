import type { TokenProblem } from './resolve-token.js';
import { resolveToken } from './resolve-token.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { updateWithRetry } from './update-with-retry.js';

/** The state after the request, or why the link does not unsubscribe. */
export type UnsubscribeResult =
  | { ok: true; status: 'unsubscribed' | 'already-unsubscribed'; subscriberId: string }
  | { ok: false; reason: TokenProblem };

/**
 * Stops all mail to the subscriber at once (`unsubscribed`, with the time). Idempotent: a second
 * call, or one on a suppressed record (which is never mailed anyway), changes nothing.
 */
export async function unsubscribe(
  deps: SubscriptionDeps,
  token: string | undefined,
): Promise<UnsubscribeResult> {
  const resolved = await resolveToken(deps, token, 'unsubscribe');
  if (!resolved.ok) return resolved;
  const { emailKey, id } = resolved.subscriber;
  const at = deps.clock.now().toISOString();

  const applied = await updateWithRetry<UnsubscribeResult>(deps, emailKey, (current) => {
    if (!current || current.id !== id) return { result: { ok: false, reason: 'unknown-subscriber' } };
    if (current.status === 'unsubscribed' || current.status === 'suppressed') {
      return { result: { ok: true, status: 'already-unsubscribed', subscriberId: id } };
    }
    return {
      write: { ...current, status: 'unsubscribed', unsubscribedAt: at, updatedAt: at },
      result: { ok: true, status: 'unsubscribed', subscriberId: id },
    };
  });
  if (applied.written) deps.logger?.info('unsubscribed', { subscriberId: id });
  return applied.result;
}
