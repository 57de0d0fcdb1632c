import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailProblem, isValidEmail, normalizeEmail } from '../../core/normalize-email.js';

describe('normalizeEmail', () => {
  it.each([
    ['  Ann.Lee+news@Example.COM ', 'ann.lee+news@example.com'],
    ['\tBOB@EXAMPLE.ORG', 'bob@example.org'],
    ['\u00a0carol@example.net\u200b', 'carol@example.net'],
    ['dan@bücher.de', 'dan@xn--bcher-kva.de'],
    ['Eve@BÜCHER.DE', 'eve@xn--bcher-kva.de'],
    ['first.last@sub.example.co.uk', 'first.last@sub.example.co.uk'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('keeps dots and +tags: they are distinct mailboxes at most providers', () => {
    expect(normalizeEmail('a.b+x@example.com')).not.toBe(normalizeEmail('ab@example.com'));
  });

  it('leaves CR and LF in place for the validator to refuse', () => {
    const hostile = 'ann@example.com\r\nBcc: everyone@example.com';
    expect(normalizeEmail(hostile)).toContain('\r\n');
    expect(isValidEmail(normalizeEmail(hostile))).toBe(false);
    expect(normalizeEmail('ann@example.com\n')).toContain('\n');
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string(), fc.string({ unit: 'grapheme' })), (s) => {
        const once = normalizeEmail(s);
        expect(normalizeEmail(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('emailProblem / isValidEmail', () => {
  it.each([
    'ann@example.com',
    'first.last+tag@sub.example.co.uk',
    "o'brien@example.ie",
    'x@xn--bcher-kva.de',
    `${'a'.repeat(64)}@example.com`,
  ])('accepts %s', (address) => {
    expect(emailProblem(address)).toBeUndefined();
    expect(isValidEmail(address)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['ann@example.com\r\nBcc: x@y.z', /control characters/],
    ['ann\n@example.com', /control characters/],
    ['ann@exa\u0000mple.com', /control characters/],
    ['ann@example.com\u2028', /control characters/],
    ['annexample.com', /exactly one @/],
    ['ann@@example.com', /exactly one @/],
    ['a@b@example.com', /exactly one @/],
    ['@example.com', /before the @/],
    [`${'a'.repeat(65)}@example.com`, /64 characters/],
    [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`, /254/],
    ['.ann@example.com', /dot/],
    ['ann.@example.com', /dot/],
    ['an..n@example.com', /dot/],
    ['"ann lee"@example.com', /may only use/],
    ['ann lee@example.com', /may only use/],
    ['<ann>@example.com', /may only use/],
    ['jörg@example.com', /may only use/],
    ['ann@', /domain after/],
    ['ann@localhost', /with a dot/],
    ['ann@example..com', /two dots/],
    ['ann@-example.com', /letters, digits and hyphens/],
    ['ann@exa_mple.com', /letters, digits and hyphens/],
    ['ann@[127.0.0.1]', /letters, digits and hyphens/],
    ['ann@example.com.', /two dots|either end/],
    ['ann@10.0.0.1', /numeric/],
    ['ann@<script>.com', /letters, digits and hyphens/],
  ])('refuses %j', (address, problem) => {
    expect(emailProblem(address)).toMatch(problem);
    expect(isValidEmail(address)).toBe(false);
  });

  it('never echoes the address in its message', () => {
    expect(emailProblem('ann@<img src=x onerror=alert(1)>.com')).not.toMatch(/<|img/);
  });

  it('accepts what fast-check calls an email address once normalized, within SES limits (property)', () => {
    fc.assert(
      fc.property(fc.emailAddress({ size: 'small' }), (address) => {
        const n = normalizeEmail(address);
        const local = n.slice(0, n.lastIndexOf('@'));
        const numericTld = /\.[0-9]+$/.test(n);
        fc.pre(n.length <= 254 && local.length <= 64 && !numericTld);
        expect(emailProblem(n)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses any address holding CR or LF (property)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.nat(), fc.constantFrom('\r', '\n', '\r\n'), (address, at, cut) => {
        const i = at % (address.length + 1);
        const hostile = normalizeEmail(address.slice(0, i) + cut + address.slice(i));
        expect(isValidEmail(hostile)).toBe(false);
      }),
    );
  });
});
