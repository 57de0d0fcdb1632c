import type { TokenPurpose, TokenSigner } from '../ports.js';
import type { Subscriber } from '../subscriber.js';

/** A confirmation link works for seven days; unsubscribe and preferences links live as long as the record. */
export const CONFIRM_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;

const PATHS: Record<TokenPurpose, string> = {
  confirm: 'confirm',
  unsubscribe: 'unsubscribe',
  preferences: 'preferences',
};

/**
 * A signed link to one of the web app's subscriber pages, under `baseUrl` (which ends with `/`).
 * Confirmation links expire; the others die with the record (its random id is in the token).
 */
export function subscriberLink(
  signer: TokenSigner,
  baseUrl: string,
  purpose: TokenPurpose,
  subscriber: Pick<Subscriber, 'emailKey' | 'id'>,
  now: Date,
): string {
  const exp =
    purpose === 'confirm' ? Math.floor(now.getTime() / 1000) + CONFIRM_TOKEN_TTL_SECONDS : undefined;
  const token = signer.sign({ purpose, emailKey: subscriber.emailKey, subscriberId: subscriber.id, exp });
  const url = new URL(PATHS[purpose], baseUrl);
  url.searchParams.set('token', token);
  return url.toString();
}
