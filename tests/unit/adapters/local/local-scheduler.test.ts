import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cronerPattern,
  LocalScheduler,
  publishDueExpression,
  readSchedule,
  schedulerExpression,
  schedulerTime,
  upcomingRuns,
} from '../../../../adapters/local/local-scheduler.js';
import type { PublishDueEvent, ScheduledEditionEvent } from '../../../../core/edition.js';
import { ConfigError } from '../../../../core/errors.js';
import type { DailySchedule, DigestCadence, WeeklySchedule } from '../../../../core/model.js';
import { addLocalDays, fromZoned, toZoned } from '../../../../core/time/zoned.js';

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * An independent reading of an EventBridge Scheduler cron expression with fixed minute and
 * hour (what Gazette generates): walk the local calendar day by day; a local time that does
 * not exist that day (spring-forward gap) is skipped, one that exists twice runs once.
 */
function schedulerRuns(expression: string, timeZone: string, after: Date, count: number): Date[] {
  const fields = /^cron\((.+)\)$/.exec(expression)?.[1]?.split(' ') ?? [];
  expect(fields).toHaveLength(6);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  expect([month, year]).toEqual(['*', '*']);
  expect(dayOfMonth === '?' || dayOfWeek === '?').toBe(true);
  const runs: Date[] = [];
  const start = toZoned(after, timeZone);
  for (let i = 0; runs.length < count && i < 3000; i += 1) {
    const day = addLocalDays({ ...start, hour: Number(hour), minute: Number(minute), second: 0 }, i);
    const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
    if (dayOfWeek !== '?' && dayOfWeek !== '*' && DAYS[weekday] !== dayOfWeek) continue;
    const instant = fromZoned(day, timeZone);
    const back = toZoned(instant, timeZone);
    if (back.hour !== day.hour || back.minute !== day.minute) continue; // does not exist that day
    if (instant.getTime() > after.getTime()) runs.push(instant);
  }
  return runs;
}

const cases: Array<{ cadence: DigestCadence; schedule: DailySchedule | WeeklySchedule }> = [
  { cadence: 'daily', schedule: { time: '07:00', timeZone: 'Europe/Berlin' } },
  { cadence: 'daily', schedule: { time: '02:30', timeZone: 'Europe/Berlin' } },
  { cadence: 'daily', schedule: { time: '01:30', timeZone: 'America/New_York' } },
  { cadence: 'daily', schedule: { time: '2:15', timeZone: 'Australia/Lord_Howe' } },
  { cadence: 'weekly', schedule: { day: 'friday', time: '09:00', timeZone: 'Europe/Berlin' } },
  { cadence: 'weekly', schedule: { day: 'sunday', time: '02:30', timeZone: 'Europe/Berlin' } },
  { cadence: 'weekly', schedule: { day: 'monday', time: '23:59', timeZone: 'Pacific/Auckland' } },
  { cadence: 'daily', schedule: { time: '00:00', timeZone: 'UTC' } },
];

describe('schedule expressions', () => {
  it('turns schedules into EventBridge Scheduler expressions and croner patterns', () => {
    expect(
      schedulerExpression('weekly', { day: 'friday', time: '09:00', timeZone: 'Europe/Berlin' }),
    ).toEqual({
      expression: 'cron(0 9 ? * FRI *)',
      timeZone: 'Europe/Berlin',
    });
    expect(schedulerExpression('daily', { time: '7:05', timeZone: 'America/New_York' })).toEqual({
      expression: 'cron(5 7 * * ? *)',
      timeZone: 'America/New_York',
    });
    expect(schedulerExpression('weekly', { day: 'sunday', time: '23:59', timeZone: 'UTC' }).expression).toBe(
      'cron(59 23 ? * SUN *)',
    );
    expect(cronerPattern(readSchedule('weekly', { day: 'friday', time: '09:00', timeZone: 'UTC' }))).toBe(
      '0 9 * * 5',
    );
    expect(cronerPattern(readSchedule('daily', { time: '07:30', timeZone: 'UTC' }))).toBe('30 7 * * *');
    expect(publishDueExpression('Europe/Berlin')).toEqual({
      expression: 'cron(0 * * * ? *)',
      timeZone: 'Europe/Berlin',
    });
  });

  it('names every problem of a malformed schedule', () => {
    const bad = () =>
      schedulerExpression('weekly', { day: 'caturday' as 'friday', time: '25:00', timeZone: 'Mars/Olympus' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'schedule.weekly.time "25:00" must be HH:MM',
        'schedule.weekly.timeZone "Mars/Olympus" is not an IANA time zone',
        'schedule.weekly.day "caturday" is not a weekday',
      ]);
    }
  });

  it.each(cases)(
    'croner runs $cadence $schedule.time in $schedule.timeZone exactly when EventBridge would',
    ({ cadence, schedule }) => {
      const after = new Date('2026-01-01T00:00:00Z');
      const count = cadence === 'daily' ? 800 : 120; // two years and more: four DST changes at least
      const { expression, timeZone } = schedulerExpression(cadence, schedule);
      const expected = schedulerRuns(expression, timeZone, after, count);
      expect(upcomingRuns(cadence, schedule, after, count).map((d) => d.toISOString())).toEqual(
        expected.map((d) => d.toISOString()),
      );
    },
  );

  it('keeps the wall-clock time across daylight-saving changes in Europe/Berlin', () => {
    const daily = upcomingRuns(
      'daily',
      { time: '07:00', timeZone: 'Europe/Berlin' },
      new Date('2027-03-26T12:00:00Z'),
      3,
    );
    expect(daily.map((d) => d.toISOString())).toEqual([
      '2027-03-27T06:00:00.000Z',
      '2027-03-28T05:00:00.000Z',
      '2027-03-29T05:00:00.000Z',
    ]);
    const weekly = upcomingRuns(
      'weekly',
      { day: 'friday', time: '09:00', timeZone: 'Europe/Berlin' },
      new Date('2026-10-20T00:00:00Z'),
      2,
    );
    expect(weekly.map((d) => d.toISOString())).toEqual([
      '2026-10-23T07:00:00.000Z',
      '2026-10-30T08:00:00.000Z',
    ]);
  });

  it('skips a time that does not exist that day and runs a repeated time once', () => {
    const gap = upcomingRuns(
      'daily',
      { time: '02:30', timeZone: 'Europe/Berlin' },
      new Date('2027-03-27T00:00:00Z'),
      2,
    );
    expect(gap.map((d) => d.toISOString())).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-29T00:30:00.000Z']);
    const overlap = upcomingRuns(
      'daily',
      { time: '02:30', timeZone: 'Europe/Berlin' },
      new Date('2026-10-24T12:00:00Z'),
      2,
    );
    expect(overlap.map((d) => d.toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('formats scheduled times the way EventBridge Scheduler does', () => {
    expect(schedulerTime(new Date('2026-11-27T08:00:00.734Z'))).toBe('2026-11-27T08:00:00Z');
  });
});

describe('LocalScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const publication = {
    timeZone: 'Europe/Berlin',
    schedule: {
      daily: { time: '07:00', timeZone: 'Europe/Berlin' },
      weekly: { day: 'friday' as const, time: '09:00', timeZone: 'Europe/Berlin' },
    },
  };

  it('calls the handlers with scheduler-shaped events at the scheduled times, until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T05:30:00Z') }); // a Friday, 06:30 in Berlin
    const editions: ScheduledEditionEvent[] = [];
    const publishes: PublishDueEvent[] = [];
    const scheduler = new LocalScheduler({
      publication,
      onEdition: async (e) => {
        editions.push(e);
      },
      onPublishDue: async (e) => {
        publishes.push(e);
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(29 * 60_000);
    expect(editions).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 60_000); // 07:01 Berlin
    expect(editions).toEqual([{ cadence: 'daily', scheduledTime: '2026-11-27T06:00:00Z' }]);
    expect(publishes).toEqual([{ kind: 'publish-due', scheduledTime: '2026-11-27T06:00:00Z' }]);
    await vi.advanceTimersByTimeAsync(2 * 3_600_000); // 09:01 Berlin
    expect(editions).toEqual([
      { cadence: 'daily', scheduledTime: '2026-11-27T06:00:00Z' },
      { cadence: 'weekly', scheduledTime: '2026-11-27T08:00:00Z' },
    ]);
    expect(publishes.map((p) => p.scheduledTime)).toEqual([
      '2026-11-27T06:00:00Z',
      '2026-11-27T07:00:00Z',
      '2026-11-27T08:00:00Z',
    ]);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(7 * 86_400_000);
    expect(editions).toHaveLength(2);
    expect(publishes).toHaveLength(3);
  });

  it('skips a run whose time a spring-forward change removed, like EventBridge Scheduler', async () => {
    vi.useFakeTimers({ now: new Date('2027-03-27T23:00:00Z') }); // 00:00 CET on the change day
    const editions: ScheduledEditionEvent[] = [];
    const logged: string[] = [];
    const scheduler = new LocalScheduler({
      publication: {
        timeZone: 'Europe/Berlin',
        schedule: { daily: { time: '02:30', timeZone: 'Europe/Berlin' } },
      },
      onEdition: async (e) => {
        editions.push(e);
      },
      logger: { info: (m) => logged.push(m), warn: () => {}, error: () => {} },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(editions).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 3_600_000);
    expect(editions).toEqual([{ cadence: 'daily', scheduledTime: '2027-03-29T00:30:00Z' }]);
    expect(logged.some((m) => m.includes('daylight saving'))).toBe(true);
    scheduler.stop();
  });

  it('keeps running after a handler fails, and logs the failure', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T05:59:00Z') });
    const errors: Array<Record<string, unknown> | undefined> = [];
    let calls = 0;
    const scheduler = new LocalScheduler({
      publication,
      onEdition: async () => {
        calls += 1;
        if (calls === 1) throw new Error('store unavailable');
      },
      logger: { info: () => {}, warn: () => {}, error: (_m, f) => errors.push(f) },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(26 * 3_600_000 + 120_000); // to Friday 09:02 in Berlin
    expect(calls).toBe(3); // Thursday daily, Friday daily, Friday weekly
    expect(errors).toEqual([{ job: 'daily', error: 'store unavailable' }]);
    scheduler.stop();
  });

  it('lists the next run of every job, soonest first', () => {
    const scheduler = new LocalScheduler({
      publication,
      onEdition: async () => {},
      onPublishDue: async () => {},
    });
    const runs = scheduler.nextRuns(new Date('2026-11-27T06:30:00Z'));
    expect(runs.map((r) => [r.job, r.at.toISOString()])).toEqual([
      ['publish-due', '2026-11-27T07:00:00.000Z'],
      ['weekly', '2026-11-27T08:00:00.000Z'],
      ['daily', '2026-11-28T06:00:00.000Z'],
    ]);
  });

  it('refuses a bad schedule when it is built, not at its first run', () => {
    expect(
      () =>
        new LocalScheduler({
          publication: {
            timeZone: 'Europe/Berlin',
            schedule: { daily: { time: '7am', timeZone: 'Europe/Berlin' } },
          },
          onEdition: async () => {},
        }),
    ).toThrow(/schedule.daily.time "7am" must be HH:MM/);
  });
});
