import type { Clock, Logger, SubscriberStore, SuppressionList, TokenSigner } from '../ports.js';

/** What every subscription use case reads and writes through. */
export interface SubscriptionDeps {
  store: SubscriberStore;
  suppressions: SuppressionList;
  signer: TokenSigner;
  clock: Clock;
  logger?: Logger | undefined;
}

/** How many times a use case re-reads and retries after a concurrent write, before giving up. */
export const MAX_WRITE_ATTEMPTS = 4;
