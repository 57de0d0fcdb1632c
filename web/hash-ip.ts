import { createHash, createHmac } from 'node:crypto';

/**
 * A pseudonym for a client IP, for the consent record and rate-limit keys: HMAC-SHA256 with the
 * given key (so the hash cannot be reversed by hashing all 2^32 IPv4 addresses), or plain SHA-256
 * when no key is configured. Hex. An unknown address hashes to the empty string.
 */
export function hashIp(ip: string | undefined, key?: string): string {
  if (!ip) return '';
  return key
    ? createHmac('sha256', key).update(ip, 'utf8').digest('hex')
    : createHash('sha256').update(ip, 'utf8').digest('hex');
}
