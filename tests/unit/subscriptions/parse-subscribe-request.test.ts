import { describe, expect, it } from 'vitest';
import type { Publication } from '../../../core/model.js';
import { availableCadences, defaultCadence } from '../../../core/subscriptions/available-cadences.js';
import { findControlCharacters } from '../../../core/subscriptions/field-problem.js';
import { parseSubscribeRequest } from '../../../core/subscriptions/parse-subscribe-request.js';

const rules = {
  cadences: ['immediate', 'daily', 'weekly'] as const,
  defaultCadence: 'weekly' as const,
  knownTopics: ['rust', 'go'],
  defaultForm: 'archive' as const,
};

describe('parseSubscribeRequest', () => {
  it('normalizes the address and applies defaults', () => {
    expect(parseSubscribeRequest({ email: '  Ann@Example.COM ' }, rules)).toEqual({
      ok: true,
      value: { email: 'ann@example.com', cadence: 'weekly', topics: [], form: 'archive', honeypot: false },
    });
  });

  it('takes topics from a repeated field or an array, and flags a filled honeypot', () => {
    expect(
      parseSubscribeRequest(
        {
          email: 'a@example.com',
          cadence: 'daily',
          topics: ['go', 'rust', 'go'],
          form: 'subscribe-page',
          website: 'http://spam',
        },
        rules,
      ),
    ).toEqual({
      ok: true,
      value: {
        email: 'a@example.com',
        cadence: 'daily',
        topics: ['go', 'rust'],
        form: 'subscribe-page',
        honeypot: true,
      },
    });
  });

  it.each([
    [{}, 'email', 'is required'],
    [{ email: ['a@example.com', 'b@example.com'] }, 'email', 'single string'],
    [{ email: 'not-an-address' }, 'email', 'exactly one @'],
    [{ email: `${'a'.repeat(250)}@example.com` }, 'email', 'at most 254'],
    [{ email: 'a@example.com\r\nBcc: all@example.com' }, 'email', 'line breaks'],
    [{ email: 'a@example.com', cadence: 'hourly' }, 'cadence', 'unknown cadence "hourly"'],
    [{ email: 'a@example.com', topics: ['cobol'] }, 'topics', 'unknown topic "cobol"'],
    [{ email: 'a@example.com', topics: 'go\nX' }, 'topics', 'line breaks'],
    [{ email: 'a@example.com', anything: 'x\ry' }, 'anything', 'line breaks'],
    [{ email: 'a@example.com', form: 'elsewhere' }, 'form', 'unknown form'],
  ])('refuses %j naming %s', (fields, field, message) => {
    const parsed = parseSubscribeRequest(fields, rules);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.field).toBe(field);
    expect(parsed.problem.message).toContain(message);
  });

  it('quotes only a short prefix of a long bad value', () => {
    const parsed = parseSubscribeRequest({ email: 'a@example.com', cadence: 'x'.repeat(5000) }, rules);
    expect(parsed.ok ? '' : parsed.problem.message.length).toBeLessThan(120);
  });

  it('finds control characters in any field, tab aside', () => {
    expect(findControlCharacters({ a: 'x\ty' })).toBeUndefined();
    expect(findControlCharacters({ a: ['ok', 'b\u0000'] })).toEqual({
      field: 'a',
      message: 'must not contain control characters',
    });
  });
});

describe('availableCadences', () => {
  const base = { schedule: {} } as Publication;
  it('offers digests only when the publication schedules them', () => {
    expect(availableCadences(base)).toEqual(['immediate']);
    expect(defaultCadence(base)).toBe('immediate');
    const both = {
      schedule: {
        daily: { time: '07:00', timeZone: 'UTC' },
        weekly: { time: '07:00', timeZone: 'UTC', day: 'monday' },
      },
    } as Publication;
    expect(availableCadences(both)).toEqual(['immediate', 'daily', 'weekly']);
    expect(defaultCadence(both)).toBe('weekly');
  });
});
