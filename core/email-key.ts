/**
 * The subscriber list's key for an address. Hashing in the core is deliberate: SHA-256 is a pure
 * function of its input (no I/O, no clock, no secret), and the use cases need the key wherever an
 * address arrives (subscribe, bounces, imports), so it is not hidden behind a port.
 */
import { createHash } from 'node:crypto';
import { normalizeEmail } from './normalize-email.js';

/**
 * SHA-256 (lower-case hex) of {@link normalizeEmail}(address): equal for every spelling of the same
 * mailbox, and what suppressions keep after an address is erased.
 */
export function emailKeyOf(address: string): string {
  return createHash('sha256').update(normalizeEmail(address), 'utf8').digest('hex');
}
