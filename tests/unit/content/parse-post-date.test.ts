import { describe, expect, it } from 'vitest';
import { parsePostDate } from '../../../core/content/parse-post-date.js';

describe('parsePostDate', () => {
  it.each([
    // winter in Berlin: CET, UTC+1
    ['2022-01-13', 'Europe/Berlin', '2022-01-12T23:00:00.000Z'],
    ['2022-01-13 09:30', 'Europe/Berlin', '2022-01-13T08:30:00.000Z'],
    ['2022-01-13T09:30', 'Europe/Berlin', '2022-01-13T08:30:00.000Z'],
    ['2022-01-13T09:30:15', 'Europe/Berlin', '2022-01-13T08:30:15.000Z'],
    ['2022-01-13T09:30:15.25', 'Europe/Berlin', '2022-01-13T08:30:15.250Z'],
    // summer in Berlin: CEST, UTC+2
    ['2022-07-13', 'Europe/Berlin', '2022-07-12T22:00:00.000Z'],
    ['2022-07-13 09:30', 'Europe/Berlin', '2022-07-13T07:30:00.000Z'],
    // other zones
    ['2022-01-13 09:30', 'America/New_York', '2022-01-13T14:30:00.000Z'],
    ['2022-01-13', 'UTC', '2022-01-13T00:00:00.000Z'],
    ['2022-01-13', 'Asia/Kolkata', '2022-01-12T18:30:00.000Z'],
  ])('%s in %s is %s', (text, zone, iso) => {
    expect(parsePostDate(text, zone)?.toISOString()).toBe(iso);
  });

  it.each([
    ['2022-01-13T09:30Z', '2022-01-13T09:30:00.000Z'],
    ['2022-01-13T09:30:00z', '2022-01-13T09:30:00.000Z'],
    ['2022-01-13T09:30+01:00', '2022-01-13T08:30:00.000Z'],
    ['2022-01-13T09:30:00-05:00', '2022-01-13T14:30:00.000Z'],
    ['2022-01-13 09:30 +05:30', '2022-01-13T04:00:00.000Z'],
    ['2022-01-13T09:30+0100', '2022-01-13T08:30:00.000Z'],
    ['2022-01-13T09:30-03', '2022-01-13T12:30:00.000Z'],
  ])('an explicit offset wins over the time zone: %s', (text, iso) => {
    expect(parsePostDate(text, 'Europe/Berlin')?.toISOString()).toBe(iso);
  });

  it('reads a time in the spring-forward gap as after the gap', () => {
    // 2022-03-27 02:30 does not exist in Berlin; clocks jump from 02:00 to 03:00 (UTC+2).
    expect(parsePostDate('2022-03-27 02:30', 'Europe/Berlin')?.toISOString()).toBe(
      '2022-03-27T01:30:00.000Z',
    );
  });

  it('reads a time that occurs twice in the fall-back overlap as the first one', () => {
    expect(parsePostDate('2022-10-30 02:30', 'Europe/Berlin')?.toISOString()).toBe(
      '2022-10-30T00:30:00.000Z',
    );
  });

  it('accepts 29 February in a leap year only', () => {
    expect(parsePostDate('2024-02-29', 'UTC')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parsePostDate('2023-02-29', 'UTC')).toBeUndefined();
    expect(parsePostDate('2000-02-29', 'UTC')).toBeDefined();
    expect(parsePostDate('1900-02-29', 'UTC')).toBeUndefined();
  });

  it.each([
    'Jan 13th',
    '13.01.2022',
    '2022/01/13',
    '2022-1-13',
    '22-01-13',
    '2022-13-01',
    '2022-04-31',
    '2022-01-00',
    '2022-01-13 24:00',
    '2022-01-13 09:60',
    '2022-01-13 09:30:60',
    '2022-01-13T9:30',
    '2022-01-13Z',
    '2022-01-13T09:30+15:00',
    '2022-01-13T09:30+01:60',
    '0999-01-01',
    '2022-01-13 and more',
    '',
  ])('refuses %j', (text) => {
    expect(parsePostDate(text, 'Europe/Berlin')).toBeUndefined();
  });
});
