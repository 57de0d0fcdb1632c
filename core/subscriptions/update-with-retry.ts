import type { Subscriber } from '../subscriber.js';
import { MAX_WRITE_ATTEMPTS, type SubscriptionDeps } from './subscription-deps.js';
import { SubscriberConflictError } from './subscription-errors.js';

/** What a change decides from the record it read: a record to write (any version), or no write. */
export type Change<R> = { write: Subscriber; result: R } | { result: R };

/** The decision that won, and the record as written (with its new version) when there was a write. */
export interface Applied<R> {
  result: R;
  written?: Subscriber | undefined;
}

/**
 * Read, decide, conditionally write; on a concurrent write, read again and decide again, a bounded
 * number of times, then throw a SubscriberConflictError. `decide` sees `undefined` when there is no
 * record (never created, or deleted meanwhile) and must not have side effects: it may run again.
 */
export async function updateWithRetry<R>(
  deps: Pick<SubscriptionDeps, 'store'>,
  emailKey: string,
  decide: (current: Subscriber | undefined) => Change<R> | Promise<Change<R>>,
): Promise<Applied<R>> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await deps.store.get(emailKey);
    const change = await decide(current);
    if (!('write' in change)) return { result: change.result };
    const record: Subscriber = { ...change.write, emailKey, version: current ? current.version + 1 : 1 };
    const written = current
      ? await deps.store.update(record, current.version)
      : await deps.store.create(record);
    if (written.ok) return { result: change.result, written: record };
  }
  throw new SubscriberConflictError(emailKey);
}
