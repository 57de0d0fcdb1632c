/**
 * The schedules of publication.yaml, run in-process with croner for the local stack, plus the
 * EventBridge Scheduler expressions the CDK stack uses for the same schedules. Both come from one
 * reading of the schedule, and the local jobs follow EventBridge Scheduler's daylight-saving rules
 * (a time skipped by a spring-forward change does not run that day; a repeated time runs once),
 * so what fires locally is what fires on AWS.
 */
import { Cron } from 'croner';
import type { PublishDueEvent, ScheduledEditionEvent } from '../../core/edition.js';
import { ConfigError } from '../../core/errors.js';
import type { DailySchedule, DigestCadence, Publication, Weekday, WeeklySchedule } from '../../core/model.js';
import type { Logger } from '../../core/ports.js';
import { isValidTimeZone, toZoned } from '../../core/time/zoned.js';

const WEEKDAY_INDEX: Record<Weekday, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};
const SCHEDULER_DAY = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** A schedule read into numbers: minute, hour, and for weekly schedules the day (0 = Sunday). */
export interface ScheduleTimes {
  cadence: DigestCadence;
  minute: number;
  hour: number;
  dayOfWeek: number | undefined;
  timeZone: string;
}

/** Reads a digest schedule; a malformed one is a {@link ConfigError} naming the field. */
export function readSchedule(
  cadence: DigestCadence,
  schedule: DailySchedule | WeeklySchedule,
): ScheduleTimes {
  const problems: string[] = [];
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(schedule.time);
  if (!match) problems.push(`schedule.${cadence}.time ${JSON.stringify(schedule.time)} must be HH:MM`);
  if (!isValidTimeZone(schedule.timeZone)) {
    problems.push(
      `schedule.${cadence}.timeZone ${JSON.stringify(schedule.timeZone)} is not an IANA time zone`,
    );
  }
  let dayOfWeek: number | undefined;
  if (cadence === 'weekly') {
    const day = 'day' in schedule ? schedule.day : undefined;
    dayOfWeek = day === undefined ? undefined : WEEKDAY_INDEX[day];
    if (dayOfWeek === undefined) problems.push(`schedule.weekly.day ${JSON.stringify(day)} is not a weekday`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    cadence,
    hour: Number(match?.[1]),
    minute: Number(match?.[2]),
    dayOfWeek,
    timeZone: schedule.timeZone,
  };
}

/** The croner pattern (5 fields, minute first): `0 9 * * 5` for Fridays at 09:00. */
export function cronerPattern(times: ScheduleTimes): string {
  return `${times.minute} ${times.hour} * * ${times.dayOfWeek ?? '*'}`;
}

/** An EventBridge Scheduler schedule: `ScheduleExpression` and `ScheduleExpressionTimezone`. */
export interface SchedulerExpression {
  expression: string;
  timeZone: string;
}

/**
 * The EventBridge Scheduler expression of a digest schedule: `cron(0 9 ? * FRI *)` in
 * `Europe/Berlin` for Fridays at 09:00, `cron(0 7 * * ? *)` for every day at 07:00.
 */
export function schedulerExpression(
  cadence: DigestCadence,
  schedule: DailySchedule | WeeklySchedule,
): SchedulerExpression {
  const t = readSchedule(cadence, schedule);
  const days = t.dayOfWeek === undefined ? '* * ?' : `? * ${SCHEDULER_DAY[t.dayOfWeek]}`;
  return { expression: `cron(${t.minute} ${t.hour} ${days} *)`, timeZone: t.timeZone };
}

/** The hourly publish-due schedule, at minute 0 of the publication's local hours. */
export function publishDueExpression(timeZone: string): SchedulerExpression {
  return { expression: 'cron(0 * * * ? *)', timeZone };
}

const PUBLISH_DUE_PATTERN = '0 * * * *';

/** The digest schedules a publication has, as (cadence, schedule) pairs. */
export function digestSchedules(
  schedule: Publication['schedule'],
): Array<{ cadence: DigestCadence; schedule: DailySchedule | WeeklySchedule }> {
  const out: Array<{ cadence: DigestCadence; schedule: DailySchedule | WeeklySchedule }> = [];
  if (schedule.daily) out.push({ cadence: 'daily', schedule: schedule.daily });
  if (schedule.weekly) out.push({ cadence: 'weekly', schedule: schedule.weekly });
  return out;
}

/** `2026-11-27T08:00:00Z`: the form of EventBridge Scheduler's `<aws.scheduler.scheduled-time>`. */
export function schedulerTime(instant: Date): string {
  return `${new Date(Math.floor(instant.getTime() / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** True when the instant reads as the schedule's wall-clock time (false for a time moved by a DST gap). */
function onTheClock(times: ScheduleTimes, instant: Date): boolean {
  const local = toZoned(instant, times.timeZone);
  return local.hour === times.hour && local.minute === times.minute;
}

function patternJob(times: ScheduleTimes): Cron {
  return new Cron(cronerPattern(times), { timezone: times.timeZone, paused: true });
}

/**
 * The next `count` times a digest schedule fires after `after`, by EventBridge Scheduler's rules
 * (a time that does not exist that day is skipped).
 */
export function upcomingRuns(
  cadence: DigestCadence,
  schedule: DailySchedule | WeeklySchedule,
  after: Date,
  count: number,
): Date[] {
  const times = readSchedule(cadence, schedule);
  const job = patternJob(times);
  const runs: Date[] = [];
  let cursor = after;
  while (runs.length < count) {
    const [next] = job.nextRuns(1, cursor);
    if (!next) break;
    if (onTheClock(times, next)) runs.push(next);
    cursor = next;
  }
  job.stop();
  return runs;
}

export type ScheduledJob = DigestCadence | 'publish-due';

export interface NextRun {
  job: ScheduledJob;
  at: Date;
  timeZone: string;
}

export interface LocalSchedulerOptions {
  publication: Pick<Publication, 'schedule' | 'timeZone'>;
  /** The same handler the EventBridge digest schedules invoke. */
  onEdition: (event: ScheduledEditionEvent) => Promise<unknown>;
  /** The same handler the hourly EventBridge schedule invokes; no hourly job without it. */
  onPublishDue?: ((event: PublishDueEvent) => Promise<unknown>) | undefined;
  logger?: Logger | undefined;
}

/**
 * Runs the publication's digest schedules (and the hourly publish-due job) in-process, in each
 * schedule's time zone. A run that is still busy when the next is due is skipped, as the
 * handlers are idempotent and the next run covers what it would have done.
 */
export class LocalScheduler {
  private jobs: Cron[] = [];

  constructor(private readonly options: LocalSchedulerOptions) {
    // Read every schedule now, so a bad one fails at start, not at its first run.
    for (const { cadence, schedule } of digestSchedules(options.publication.schedule)) {
      readSchedule(cadence, schedule);
    }
    if (!isValidTimeZone(options.publication.timeZone)) {
      throw new ConfigError([
        `timeZone ${JSON.stringify(options.publication.timeZone)} is not an IANA time zone`,
      ]);
    }
  }

  /** Starts the jobs (again, after `stop`). */
  start(): void {
    this.stop();
    const { publication, onEdition, onPublishDue } = this.options;
    for (const { cadence, schedule } of digestSchedules(publication.schedule)) {
      const times = readSchedule(cadence, schedule);
      const cron = new Cron(
        cronerPattern(times),
        { timezone: times.timeZone, protect: true },
        async (self: Cron) => {
          const due = this.dueTime(self);
          if (!onTheClock(times, due)) {
            this.options.logger?.info('schedule skipped: its time does not exist today (daylight saving)', {
              cadence,
              at: due.toISOString(),
            });
            return;
          }
          await this.run(cadence, () => onEdition({ cadence, scheduledTime: schedulerTime(due) }));
        },
      );
      this.jobs.push(cron);
    }
    if (onPublishDue) {
      const cron = new Cron(
        PUBLISH_DUE_PATTERN,
        { timezone: publication.timeZone, protect: true },
        async (self: Cron) => {
          const due = this.dueTime(self);
          await this.run('publish-due', () =>
            onPublishDue({ kind: 'publish-due', scheduledTime: schedulerTime(due) }),
          );
        },
      );
      this.jobs.push(cron);
    }
  }

  /** Stops every job; a run in progress finishes. */
  stop(): void {
    for (const job of this.jobs) job.stop();
    this.jobs = [];
  }

  /** The next run of each job, soonest first (for the dev server to print). */
  nextRuns(after: Date = new Date()): NextRun[] {
    const runs: NextRun[] = [];
    const { publication, onPublishDue } = this.options;
    for (const { cadence, schedule } of digestSchedules(publication.schedule)) {
      const [at] = upcomingRuns(cadence, schedule, after, 1);
      if (at) runs.push({ job: cadence, at, timeZone: schedule.timeZone });
    }
    if (onPublishDue) {
      const job = new Cron(PUBLISH_DUE_PATTERN, { timezone: publication.timeZone, paused: true });
      const [at] = job.nextRuns(1, after);
      job.stop();
      if (at) runs.push({ job: 'publish-due', at, timeZone: publication.timeZone });
    }
    return runs.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** The time the run was due: the latest match at or before now (a late timer keeps its slot). */
  private dueTime(cron: Cron): Date {
    const now = Date.now();
    const [due] = cron.previousRuns(1, new Date(now + 1000));
    return due ?? new Date(Math.floor(now / 60_000) * 60_000);
  }

  private async run(job: ScheduledJob, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      // The schedule keeps running; the next run retries what this one could not do.
      this.options.logger?.error('scheduled run failed', {
        job,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
