import type { TokenProblem } from './resolve-token.js';
import { resolveToken } from './resolve-token.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { updateWithRetry } from './update-with-retry.js';

/** The outcome of a confirmation: the new state, or why the link does not confirm. */
export type ConfirmResult =
  | { ok: true; status: 'confirmed' | 'already-confirmed'; subscriberId: string; emailKey: string }
  /** `not-pending`: unsubscribed or suppressed since the link was sent; the link does not resubscribe. */
  | { ok: false; reason: TokenProblem | 'not-pending' };

/**
 * Double opt-in, step two: a valid confirmation token turns a `pending` record `active` and stamps
 * the consent record's `confirmedAt`. A second confirmation is harmless. An address that had deleted
 * itself loses its `deleted` suppression here, now that it has asked for mail again.
 */
export async function confirmSubscription(
  deps: SubscriptionDeps,
  token: string | undefined,
): Promise<ConfirmResult> {
  const resolved = await resolveToken(deps, token, 'confirm');
  if (!resolved.ok) return resolved;
  const { emailKey, id } = resolved.subscriber;
  const at = deps.clock.now().toISOString();
  // A bounce or complaint that arrived while the record was pending wins over the old link.
  const suppressed = await deps.suppressions.get(emailKey);
  if (suppressed && suppressed.reason !== 'deleted') return { ok: false, reason: 'not-pending' };

  const applied = await updateWithRetry<ConfirmResult>(deps, emailKey, (current) => {
    if (!current || current.id !== id) return { result: { ok: false, reason: 'unknown-subscriber' } };
    if (current.status === 'active') {
      return { result: { ok: true, status: 'already-confirmed', subscriberId: id, emailKey } };
    }
    if (current.status !== 'pending') return { result: { ok: false, reason: 'not-pending' } };
    return {
      write: {
        ...current,
        status: 'active',
        consent: { ...current.consent, confirmedAt: at },
        updatedAt: at,
      },
      result: { ok: true, status: 'confirmed', subscriberId: id, emailKey },
    };
  });

  if (applied.written) {
    if (suppressed?.reason === 'deleted') await deps.suppressions.remove(emailKey);
    deps.logger?.info('subscription confirmed', { subscriberId: id });
  }
  return applied.result;
}
