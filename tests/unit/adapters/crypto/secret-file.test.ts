import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HmacTokenSigner } from '../../../../adapters/crypto/hmac-token-signer.js';
import { loadOrCreateSecret } from '../../../../adapters/crypto/secret-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-secret-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateSecret', () => {
  it('generates a secret once, owner-only, and returns the same one afterwards', async () => {
    const path = join(dir, 'state', 'hmac-secret');
    const first = await loadOrCreateSecret(path);
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSecret(path)).toBe(first);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    // Usable as a signing key as is.
    expect(() => new HmacTokenSigner({ id: 'local', secret: first })).not.toThrow();
  });

  it('agrees on one secret when called concurrently', async () => {
    const path = join(dir, 'hmac-secret');
    const all = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateSecret(path)));
    expect(new Set(all).size).toBe(1);
    expect(readdirSync(dir)).toEqual(['hmac-secret']);
  });

  it('refuses a file that holds something else, naming the file, and leaves it alone', async () => {
    const path = join(dir, 'hmac-secret');
    writeFileSync(path, 'short');
    await expect(loadOrCreateSecret(path)).rejects.toThrow(`${path} does not hold a secret`);
    expect(readFileSync(path, 'utf8')).toBe('short');
  });
});
