import { describe, expect, it } from 'vitest';
import { digestEditionId, postEditionId } from '../../../core/editions/edition-ids.js';
import { latestSlot, onePeriodBefore, parseTimeOfDay } from '../../../core/editions/schedule-slot.js';
import type { DailySchedule, WeeklySchedule } from '../../../core/model.js';

const berlinDaily: DailySchedule = { time: '07:00', timeZone: 'Europe/Berlin' };
const berlinWeekly: WeeklySchedule = { time: '09:00', timeZone: 'Europe/Berlin', day: 'friday' };
const newYorkDaily: DailySchedule = { time: '07:00', timeZone: 'America/New_York' };

const iso = (d: Date) => d.toISOString();

describe('edition ids', () => {
  it('names days and ISO weeks, padded', () => {
    expect(digestEditionId('daily', { year: 2026, month: 11, day: 27 })).toBe('daily-2026-11-27');
    expect(digestEditionId('daily', { year: 2027, month: 1, day: 3 })).toBe('daily-2027-01-03');
    expect(digestEditionId('weekly', { year: 2026, month: 11, day: 27 })).toBe('weekly-2026-W48');
    expect(digestEditionId('weekly', { year: 2026, month: 1, day: 5 })).toBe('weekly-2026-W02');
    expect(postEditionId('hello-world')).toBe('post-hello-world');
  });

  it('uses the ISO week-numbering year at year boundaries (2026 has 53 weeks)', () => {
    expect(digestEditionId('weekly', { year: 2026, month: 1, day: 1 })).toBe('weekly-2026-W01');
    expect(digestEditionId('weekly', { year: 2026, month: 12, day: 28 })).toBe('weekly-2026-W53');
    expect(digestEditionId('weekly', { year: 2026, month: 12, day: 31 })).toBe('weekly-2026-W53');
    expect(digestEditionId('weekly', { year: 2027, month: 1, day: 1 })).toBe('weekly-2026-W53');
    expect(digestEditionId('weekly', { year: 2027, month: 1, day: 3 })).toBe('weekly-2026-W53');
    expect(digestEditionId('weekly', { year: 2027, month: 1, day: 4 })).toBe('weekly-2027-W01');
    expect(digestEditionId('weekly', { year: 2024, month: 12, day: 30 })).toBe('weekly-2025-W01');
    expect(digestEditionId('weekly', { year: 2025, month: 12, day: 28 })).toBe('weekly-2025-W52');
  });
});

describe('latest slot', () => {
  it('is today at the local time once it has passed, else yesterday', () => {
    const after = latestSlot('daily', berlinDaily, new Date('2026-11-27T06:00:01Z'));
    expect(iso(after.instant)).toBe('2026-11-27T06:00:00.000Z');
    expect(digestEditionId('daily', after.local)).toBe('daily-2026-11-27');
    const before = latestSlot('daily', berlinDaily, new Date('2026-11-27T05:59:59Z'));
    expect(iso(before.instant)).toBe('2026-11-26T06:00:00.000Z');
    expect(digestEditionId('daily', before.local)).toBe('daily-2026-11-26');
    const exact = latestSlot('daily', berlinDaily, new Date('2026-11-27T06:00:00Z'));
    expect(iso(exact.instant)).toBe('2026-11-27T06:00:00.000Z');
  });

  it('keeps a late firing in its slot', () => {
    const late = latestSlot('daily', berlinDaily, new Date('2026-11-27T22:45:00Z'));
    expect(iso(late.instant)).toBe('2026-11-27T06:00:00.000Z');
    const weekLate = latestSlot('weekly', berlinWeekly, new Date('2026-11-30T10:00:00Z'));
    expect(iso(weekLate.instant)).toBe('2026-11-27T08:00:00.000Z');
    expect(digestEditionId('weekly', weekLate.local)).toBe('weekly-2026-W48');
  });

  it('stays at 07:00 local across the spring-forward and fall-back days (Europe/Berlin)', () => {
    // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST.
    expect(iso(latestSlot('daily', berlinDaily, new Date('2026-03-28T12:00:00Z')).instant)).toBe(
      '2026-03-28T06:00:00.000Z',
    );
    expect(iso(latestSlot('daily', berlinDaily, new Date('2026-03-29T12:00:00Z')).instant)).toBe(
      '2026-03-29T05:00:00.000Z',
    );
    // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET.
    expect(iso(latestSlot('daily', berlinDaily, new Date('2026-10-24T12:00:00Z')).instant)).toBe(
      '2026-10-24T05:00:00.000Z',
    );
    expect(iso(latestSlot('daily', berlinDaily, new Date('2026-10-25T12:00:00Z')).instant)).toBe(
      '2026-10-25T06:00:00.000Z',
    );
    // Between 05:00Z and 06:00Z on the fall-back day it is still before 07:00 local.
    expect(iso(latestSlot('daily', berlinDaily, new Date('2026-10-25T05:30:00Z')).instant)).toBe(
      '2026-10-24T05:00:00.000Z',
    );
  });

  it('stays at 07:00 local across the changes in America/New_York', () => {
    // 2026-03-08: EST → EDT; 2026-11-01: EDT → EST.
    expect(iso(latestSlot('daily', newYorkDaily, new Date('2026-03-07T20:00:00Z')).instant)).toBe(
      '2026-03-07T12:00:00.000Z',
    );
    expect(iso(latestSlot('daily', newYorkDaily, new Date('2026-03-08T20:00:00Z')).instant)).toBe(
      '2026-03-08T11:00:00.000Z',
    );
    expect(iso(latestSlot('daily', newYorkDaily, new Date('2026-11-01T20:00:00Z')).instant)).toBe(
      '2026-11-01T12:00:00.000Z',
    );
    // 06:30Z on Nov 1 is 01:30 EST (02:30 EDT earlier): before the slot, so the day before's.
    expect(
      digestEditionId('daily', latestSlot('daily', newYorkDaily, new Date('2026-11-01T06:30:00Z')).local),
    ).toBe('daily-2026-10-31');
  });

  it('moves a time that does not exist on the spring-forward day forward by the gap', () => {
    const night: DailySchedule = { time: '02:30', timeZone: 'Europe/Berlin' };
    const slot = latestSlot('daily', night, new Date('2026-03-29T12:00:00Z'));
    expect(iso(slot.instant)).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(digestEditionId('daily', slot.local)).toBe('daily-2026-03-29');
  });

  it('finds the weekly day and time, across the fall-back week and the year boundary', () => {
    // Friday 2026-10-30 09:00 CET = 08:00Z; the Friday before, 09:00 CEST = 07:00Z.
    expect(iso(latestSlot('weekly', berlinWeekly, new Date('2026-10-30T08:00:00Z')).instant)).toBe(
      '2026-10-30T08:00:00.000Z',
    );
    expect(iso(latestSlot('weekly', berlinWeekly, new Date('2026-10-30T07:59:00Z')).instant)).toBe(
      '2026-10-23T07:00:00.000Z',
    );
    // Friday 2027-01-01 is in ISO week 2026-W53.
    const newYear = latestSlot('weekly', berlinWeekly, new Date('2027-01-02T10:00:00Z'));
    expect(iso(newYear.instant)).toBe('2027-01-01T08:00:00.000Z');
    expect(digestEditionId('weekly', newYear.local)).toBe('weekly-2026-W53');
    const sunday: WeeklySchedule = { time: '18:00', timeZone: 'America/New_York', day: 'sunday' };
    expect(iso(latestSlot('weekly', sunday, new Date('2026-11-04T00:00:00Z')).instant)).toBe(
      '2026-11-01T23:00:00.000Z',
    );
  });

  it('refuses a malformed time of day', () => {
    expect(parseTimeOfDay('7:05')).toEqual({ hour: 7, minute: 5 });
    expect(() => parseTimeOfDay('25:00')).toThrow(/HH:MM/);
    expect(() => parseTimeOfDay('07:00\n')).toThrow(/HH:MM/);
  });
});

describe('one period before', () => {
  it('is a local day: 23 hours over spring-forward, 25 over fall-back', () => {
    const spring = new Date('2026-03-29T05:00:00Z');
    expect(spring.getTime() - onePeriodBefore(spring, 'daily', 'Europe/Berlin').getTime()).toBe(
      23 * 3_600_000,
    );
    const autumn = new Date('2026-10-25T06:00:00Z');
    expect(autumn.getTime() - onePeriodBefore(autumn, 'daily', 'Europe/Berlin').getTime()).toBe(
      25 * 3_600_000,
    );
    const plain = new Date('2026-11-27T06:00:00Z');
    expect(plain.getTime() - onePeriodBefore(plain, 'daily', 'Europe/Berlin').getTime()).toBe(24 * 3_600_000);
  });

  it('is seven local days for weekly', () => {
    const end = new Date('2026-10-30T08:00:00Z');
    expect(iso(onePeriodBefore(end, 'weekly', 'Europe/Berlin'))).toBe('2026-10-23T07:00:00.000Z');
  });
});
