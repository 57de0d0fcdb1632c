import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../core/errors.js';

/** Shorter values could be guessed; the stack generates 48 letters and digits. */
export const MIN_ORIGIN_VERIFY_LENGTH = 32;
/** CloudFront takes custom header values up to 1,783 characters. */
export const MAX_ORIGIN_VERIFY_LENGTH = 1783;

/**
 * The origin-verify value from a secret string: visible ASCII only (it travels as a header
 * value), at least {@link MIN_ORIGIN_VERIFY_LENGTH} characters.
 * @throws ConfigError naming the secret when the value cannot be the header CloudFront sends.
 */
export function parseOriginVerify(secretString: string, secretArn: string): string {
  const value = secretString.trim();
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new ConfigError([`secret ${secretArn}: the origin-verify value must be visible ASCII, one word`]);
  }
  if (value.length < MIN_ORIGIN_VERIFY_LENGTH || value.length > MAX_ORIGIN_VERIFY_LENGTH) {
    throw new ConfigError([
      `secret ${secretArn}: the origin-verify value must be ${MIN_ORIGIN_VERIFY_LENGTH} to ${MAX_ORIGIN_VERIFY_LENGTH} characters, not ${value.length}`,
    ]);
  }
  return value;
}

const cache = new Map<string, Promise<string>>();

/**
 * The value CloudFront adds to every request it forwards to the API (see web/client-address.ts),
 * fetched once per container (a failed fetch is not kept, so the next request tries again).
 */
export function loadOriginVerify(client: SecretsManagerClient, secretArn: string): Promise<string> {
  let pending = cache.get(secretArn);
  if (!pending) {
    pending = client.send(new GetSecretValueCommand({ SecretId: secretArn })).then((res) => {
      if (typeof res.SecretString !== 'string')
        throw new ConfigError([`secret ${secretArn} has no SecretString`]);
      return parseOriginVerify(res.SecretString, secretArn);
    });
    pending.catch(() => cache.delete(secretArn));
    cache.set(secretArn, pending);
  }
  return pending;
}
