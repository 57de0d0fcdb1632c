import type { Subscriber, Suppression } from '../subscriber.js';
import type { TokenProblem } from './resolve-token.js';
import { resolveToken } from './resolve-token.js';
import type { SubscriptionDeps } from './subscription-deps.js';

/** Everything stored about one subscriber, as the subscriber downloads it. */
export interface SubscriberDataExport {
  exportedAt: string;
  subscriber: Subscriber;
  /** The suppression entry for the address, if any (bounce, complaint). */
  suppression: Suppression | null;
}

/** The data, or why the link does not lead to a record. */
export type ExportResult = { ok: true; data: SubscriberDataExport } | { ok: false; reason: TokenProblem };

/**
 * Right of access: the whole record (address, status, cadence, topics, consent record, timestamps,
 * counters) and the address's suppression state, through a preferences link.
 */
export async function exportSubscriberData(
  deps: SubscriptionDeps,
  token: string | undefined,
): Promise<ExportResult> {
  const resolved = await resolveToken(deps, token, 'preferences');
  if (!resolved.ok) return resolved;
  const suppression = await deps.suppressions.get(resolved.subscriber.emailKey);
  return {
    ok: true,
    data: {
      exportedAt: deps.clock.now().toISOString(),
      subscriber: resolved.subscriber,
      suppression: suppression ?? null,
    },
  };
}
