import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../core/email-key.js';

describe('emailKeyOf', () => {
  it('is the SHA-256 hex of the normalized address', () => {
    expect(emailKeyOf('ann@example.com')).toBe(createHash('sha256').update('ann@example.com').digest('hex'));
    expect(emailKeyOf('ann@example.com')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for every spelling of one mailbox', () => {
    const key = emailKeyOf('ann@example.com');
    expect(emailKeyOf('  ANN@Example.com ')).toBe(key);
    expect(emailKeyOf('Ann@EXAMPLE.COM')).toBe(key);
    expect(emailKeyOf('dan@bücher.de')).toBe(emailKeyOf('DAN@xn--bcher-kva.de'));
  });

  it('differs between mailboxes', () => {
    expect(emailKeyOf('ann@example.com')).not.toBe(emailKeyOf('ann+x@example.com'));
    expect(emailKeyOf('ann@example.com')).not.toBe(emailKeyOf('ann@example.org'));
  });
});
