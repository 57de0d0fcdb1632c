import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../core/errors.js';
import type { SigningKey } from '../crypto/hmac-token-signer.js';

/** The link-signing keys: the current one signs, retired ones still verify links already sent. */
export interface SigningKeys {
  current: SigningKey;
  retired: SigningKey[];
}

/**
 * Reads the signing keys from a secret string, in either form:
 * - JSON `{ "current": { "id": "k2", "secret": "…" }, "retired": [{ "id": "k1", "secret": "…" }] }`
 *   (rotation without breaking links in mails already sent);
 * - JSON `{ "secret": "…" }` or the bare base64url secret, taken as key `k1`
 *   (what a CDK-generated secret holds at first).
 */
export function parseSigningKeys(secretString: string): SigningKeys {
  const text = secretString.trim();
  if (/^[A-Za-z0-9_-]+$/.test(text)) return { current: { id: 'k1', secret: text }, retired: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(['signing secret: neither a base64url key nor JSON']);
  }
  const key = (v: unknown, where: string): SigningKey => {
    const k = v as { id?: unknown; secret?: unknown } | null;
    if (!k || typeof k.secret !== 'string')
      throw new ConfigError([`signing secret: ${where}.secret is missing`]);
    return { id: typeof k.id === 'string' ? k.id : 'k1', secret: k.secret };
  };
  const obj = value as { current?: unknown; retired?: unknown; secret?: unknown };
  if (typeof obj?.secret === 'string') return { current: { id: 'k1', secret: obj.secret }, retired: [] };
  const retired = Array.isArray(obj?.retired) ? obj.retired.map((r, i) => key(r, `retired[${i}]`)) : [];
  return { current: key(obj?.current, 'current'), retired };
}

const cache = new Map<string, Promise<SigningKeys>>();

/**
 * The signing keys from Secrets Manager, fetched once per container and secret (a failed fetch is
 * not cached, so the next invocation tries again).
 */
export function loadSigningKeys(client: SecretsManagerClient, secretArn: string): Promise<SigningKeys> {
  let pending = cache.get(secretArn);
  if (!pending) {
    pending = client.send(new GetSecretValueCommand({ SecretId: secretArn })).then((res) => {
      if (typeof res.SecretString !== 'string')
        throw new ConfigError([`secret ${secretArn} has no SecretString`]);
      return parseSigningKeys(res.SecretString);
    });
    pending.catch(() => cache.delete(secretArn));
    cache.set(secretArn, pending);
  }
  return pending;
}
