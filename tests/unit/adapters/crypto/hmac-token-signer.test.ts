import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSecret, HmacTokenSigner } from '../../../../adapters/crypto/hmac-token-signer.js';
import type { TokenClaims } from '../../../../core/ports.js';

const NOW = new Date('2026-11-27T10:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const claims: TokenClaims = {
  purpose: 'confirm',
  emailKey: 'a'.repeat(64),
  subscriberId: '5f0c8c1e-7d1b-4bb5-9a43-1f6c2b9d0e11',
  exp: nowSeconds + 7 * 86_400,
};
const key = { id: 'k1', secret: generateSecret() };

function flip(text: string, index: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const c = text[index]!;
  const other = alphabet[(alphabet.indexOf(c) + 1) % alphabet.length]!;
  return text.slice(0, index) + other + text.slice(index + 1);
}

describe('HmacTokenSigner', () => {
  const signer = new HmacTokenSigner(key);

  it('round-trips the claims', () => {
    const token = signer.sign(claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(token, 'confirm', NOW)).toEqual({ ok: true, claims });
  });

  it('round-trips claims without expiry', () => {
    const { exp: _exp, ...forever } = claims;
    const token = signer.sign({ ...forever, purpose: 'unsubscribe' });
    const check = signer.verify(token, 'unsubscribe', new Date('2099-01-01T00:00:00Z'));
    expect(check).toEqual({ ok: true, claims: { ...forever, purpose: 'unsubscribe' } });
    expect(check.ok && 'exp' in check.claims).toBe(false);
  });

  it('gives different tokens for different claims and a stable one for the same claims', () => {
    expect(signer.sign(claims)).toBe(signer.sign({ ...claims }));
    expect(signer.sign(claims)).not.toBe(signer.sign({ ...claims, subscriberId: 'other' }));
  });

  it('refuses a token whose payload was changed, even if it still decodes', () => {
    const token = signer.sign(claims);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    forged.s = 'someone-else';
    const forgedPayload = Buffer.from(JSON.stringify(forged)).toString('base64url');
    expect(signer.verify(`${forgedPayload}.${signature}`, 'confirm', NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    for (const i of [0, 5, payload.length - 1]) {
      expect(signer.verify(`${flip(payload, i)}.${signature}`, 'confirm', NOW).ok).toBe(false);
    }
  });

  it('refuses a tampered signature', () => {
    const token = signer.sign(claims);
    const dot = token.indexOf('.');
    const check = signer.verify(flip(token, dot + 1), 'confirm', NOW);
    expect(check).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a signature in a non-canonical spelling (the last character carries spare bits)', () => {
    const token = signer.sign(claims);
    const last = token.at(-1)!;
    // Characters equal in their top 4 bits decode to the same bytes: only one spelling is valid.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    const sameBytes = Buffer.from(token.slice(token.indexOf('.') + 1, -1) + twin, 'base64url');
    expect(sameBytes.toString('base64url')).toBe(token.slice(token.indexOf('.') + 1));
    expect(signer.verify(token.slice(0, -1) + twin, 'confirm', NOW)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses a token signed with another secret', () => {
    const other = new HmacTokenSigner({ id: 'k1', secret: generateSecret() });
    expect(other.verify(signer.sign(claims), 'confirm', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('binds the key id: the same secret under another id does not verify', () => {
    const renamed = new HmacTokenSigner({ id: 'k2', secret: key.secret });
    expect(renamed.verify(signer.sign(claims), 'confirm', NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses the wrong purpose', () => {
    const token = signer.sign(claims);
    expect(signer.verify(token, 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(signer.verify(token, 'preferences', NOW)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('refuses an expired token, from the expiry second on', () => {
    const token = signer.sign(claims);
    const exp = claims.exp!;
    expect(signer.verify(token, 'confirm', new Date(exp * 1000 - 1)).ok).toBe(true);
    expect(signer.verify(token, 'confirm', new Date(exp * 1000))).toEqual({ ok: false, reason: 'expired' });
    expect(signer.verify(token, 'confirm', new Date(exp * 1000 + 86_400_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('keeps verifying tokens of a retired key after a rotation, and signs with the new one', () => {
    const oldToken = signer.sign(claims);
    const next = { id: 'k2', secret: generateSecret() };
    const rotated = new HmacTokenSigner(next, [key]);
    expect(rotated.verify(oldToken, 'confirm', NOW).ok).toBe(true);
    const newToken = rotated.sign(claims);
    expect(newToken).not.toBe(oldToken);
    expect(new HmacTokenSigner(next).verify(newToken, 'confirm', NOW).ok).toBe(true);
    expect(signer.verify(newToken, 'confirm', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abcdef'],
    ['short signature', 'eyJ9.abc'],
    ['padding', `${'a'.repeat(10)}.${'b'.repeat(42)}=`],
    ['two dots', `a.b.${'c'.repeat(43)}`],
    ['spaces', ` ${'a'.repeat(10)}.${'b'.repeat(43)}`],
    ['CRLF', `${'a'.repeat(10)}\r\n.${'b'.repeat(43)}`],
    ['huge', `${'a'.repeat(100_000)}.${'b'.repeat(43)}`],
  ])('answers malformed for %s input', (_label, token) => {
    expect(signer.verify(token, 'confirm', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a validly signed payload that is not its claim format', () => {
    // Signed with the right key (as if by a bug elsewhere): still not accepted as claims.
    const payload = Buffer.from('[1,2,3]').toString('base64url');
    const mac = createHmac('sha256', Buffer.from(key.secret, 'base64url'))
      .update(`v1.${key.id}.${payload}`)
      .digest('base64url');
    expect(signer.verify(`${payload}.${mac}`, 'confirm', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never throws and never verifies arbitrary input (property)', () => {
    const tokenLike = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9_-]{0,300}$/),
        fc.constantFrom('.', '', '..', ' '),
        fc.stringMatching(/^[A-Za-z0-9_-]{0,50}$/),
      )
      .map(([a, dot, b]) => a + dot + b);
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), tokenLike),
        fc.constantFrom('confirm' as const, 'unsubscribe' as const, 'preferences' as const),
        (token, purpose) => {
          const check = signer.verify(token, purpose, NOW);
          expect(check.ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never verifies a genuine token with any single character changed (property)', () => {
    const token = signer.sign(claims);
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (i, c) => {
        fc.pre(token[i] !== c);
        const changed = token.slice(0, i) + c + token.slice(i + 1);
        expect(signer.verify(changed, 'confirm', NOW).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses weak or malformed keys at construction', () => {
    expect(() => new HmacTokenSigner({ id: 'k1', secret: 'c2hvcnQ' })).toThrow(/at least 32/);
    expect(() => new HmacTokenSigner({ id: 'bad id', secret: generateSecret() })).toThrow(/key id/);
    expect(() => new HmacTokenSigner({ id: 'k1', secret: 'not base64url!' })).toThrow(/base64url/);
    expect(() => new HmacTokenSigner(key, [key])).toThrow(/same id/);
  });

  it('generates distinct 32-byte secrets', () => {
    const a = generateSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(a);
  });
});
