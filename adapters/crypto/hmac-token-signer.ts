import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenCheck, TokenClaims, TokenPurpose, TokenSigner } from '../../core/ports.js';

/** A named HMAC key. The id is bound into every signature so that keys can be rotated. */
export interface SigningKey {
  /** Short id, `[A-Za-z0-9_-]{1,32}`, e.g. `k1` or `2026-11`. */
  id: string;
  /** The secret, base64url as {@link generateSecret} makes it; at least 32 bytes once decoded. */
  secret: string;
}

const FORMAT_VERSION = 'v1';
const PURPOSES: readonly TokenPurpose[] = ['confirm', 'unsubscribe', 'preferences'];
const PURPOSE_CODES: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u', preferences: 'p' };
/** Generous for a payload of two ids and an expiry; anything longer is not ours. */
const MAX_TOKEN_LENGTH = 1024;
/** Payload, a dot, then 32 bytes of HMAC-SHA256 as 43 characters of unpadded base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,980}\.[A-Za-z0-9_-]{43}$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_SECRET_BYTES = 32;

/** 32 random bytes, base64url: a fresh HMAC secret. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

interface LoadedKey {
  id: string;
  secret: Buffer;
}

/**
 * Signs and checks the links in mails (confirm, unsubscribe, preferences).
 *
 * A token is `base64url(payload) "." base64url(HMAC-SHA256(key, "v1.<key id>.<payload>"))`: URL-safe,
 * no padding, about 200 characters. The payload is JSON with the purpose, the address hash, the
 * subscriber id and the expiry. Verification authenticates before it parses: it computes the MAC
 * with each known key (the current one, then retired ones kept during a rotation) and compares in
 * constant time, so no attacker-chosen JSON is read unless a key signed it. Every malformed input
 * answers `{ ok: false }`; nothing throws.
 */
export class HmacTokenSigner implements TokenSigner {
  private readonly keys: readonly LoadedKey[];

  /**
   * @param current signs new tokens and verifies.
   * @param retired only verify, so that links already sent keep working through a key rotation.
   */
  constructor(current: SigningKey, retired: readonly SigningKey[] = []) {
    this.keys = [current, ...retired].map(loadKey);
    const ids = new Set(this.keys.map((k) => k.id));
    if (ids.size !== this.keys.length) throw new Error('token signer: two keys share the same id');
  }

  sign(claims: TokenClaims): string {
    if (!PURPOSES.includes(claims.purpose))
      throw new Error(`token signer: unknown purpose "${claims.purpose}"`);
    if (typeof claims.emailKey !== 'string' || claims.emailKey.length === 0) {
      throw new Error('token signer: emailKey is required');
    }
    if (typeof claims.subscriberId !== 'string' || claims.subscriberId.length === 0) {
      throw new Error('token signer: subscriberId is required');
    }
    if (claims.exp !== undefined && !Number.isSafeInteger(claims.exp)) {
      throw new Error('token signer: exp must be whole seconds since the epoch');
    }
    const body: Record<string, string | number> = {
      p: PURPOSE_CODES[claims.purpose],
      k: claims.emailKey,
      s: claims.subscriberId,
    };
    if (claims.exp !== undefined) body.x = claims.exp;
    const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
    if (payload.length > 980) throw new Error('token signer: claims too long for a link');
    const key = this.keys[0]!;
    return `${payload}.${mac(key, payload).toString('base64url')}`;
  }

  verify(token: string, purpose: TokenPurpose, now: Date): TokenCheck {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) {
      return { ok: false, reason: 'malformed' };
    }
    const dot = token.indexOf('.');
    const payload = token.slice(0, dot);
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    // A 43-character base64url string has 2 spare bits; only the canonical spelling is accepted,
    // so a token has exactly one valid form.
    if (signature.length !== 32 || signature.toString('base64url') !== token.slice(dot + 1)) {
      return { ok: false, reason: 'malformed' };
    }
    let authentic = false;
    for (const key of this.keys) {
      // Every key is tried even after a match, so timing does not tell which key signed.
      if (timingSafeEqual(mac(key, payload), signature)) authentic = true;
    }
    if (!authentic) return { ok: false, reason: 'bad-signature' };
    const claims = parseClaims(payload);
    if (!claims) return { ok: false, reason: 'malformed' };
    if (claims.purpose !== purpose) return { ok: false, reason: 'wrong-purpose' };
    if (claims.exp !== undefined && now.getTime() >= claims.exp * 1000)
      return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }
}

function loadKey(key: SigningKey): LoadedKey {
  if (!KEY_ID.test(key.id)) throw new Error(`token signer: key id "${key.id}" must match ${KEY_ID.source}`);
  if (!/^[A-Za-z0-9_-]+$/.test(key.secret)) throw new Error(`token signer: key "${key.id}" is not base64url`);
  const secret = Buffer.from(key.secret, 'base64url');
  if (secret.length < MIN_SECRET_BYTES) {
    throw new Error(
      `token signer: key "${key.id}" has ${secret.length} bytes; at least ${MIN_SECRET_BYTES} needed`,
    );
  }
  return { id: key.id, secret };
}

function mac(key: LoadedKey, payload: string): Buffer {
  return createHmac('sha256', key.secret).update(`${FORMAT_VERSION}.${key.id}.${payload}`, 'utf8').digest();
}

function parseClaims(payload: string): TokenClaims | undefined {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { p, k, s, x } = body as Record<string, unknown>;
  const purpose = PURPOSES.find((candidate) => PURPOSE_CODES[candidate] === p);
  if (!purpose || typeof k !== 'string' || k.length === 0 || typeof s !== 'string' || s.length === 0) {
    return undefined;
  }
  if (x !== undefined && !(typeof x === 'number' && Number.isSafeInteger(x))) return undefined;
  return x === undefined
    ? { purpose, emailKey: k, subscriberId: s }
    : { purpose, emailKey: k, subscriberId: s, exp: x };
}
