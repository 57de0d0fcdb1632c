import type { DailySchedule, DigestCadence, Weekday, WeeklySchedule } from '../model.js';
import { addLocalDays, fromZoned, type LocalDateTime, toZoned } from '../time/zoned.js';

const ISO_WEEKDAY: Record<Weekday, number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
};

/** One scheduled occurrence: the instant, and the local date and time it was computed from. */
export interface Slot {
  instant: Date;
  local: LocalDateTime;
}

/** `07:30` → `{ hour: 7, minute: 30 }`; a malformed time is a programming error (the schema checks it). */
export function parseTimeOfDay(time: string): { hour: number; minute: number } {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`schedule time must be HH:MM, got ${JSON.stringify(time)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * The latest scheduled occurrence at or before `at`, in the schedule's time zone. A firing that
 * comes late still belongs to the slot it was meant for, and the slot is found on the local
 * wall clock, so a 07:00 daily stays at 07:00 across daylight-saving changes. A time that does
 * not exist on a spring-forward day moves forward by the gap (02:30 → 03:30).
 */
export function latestSlot(cadence: DigestCadence, schedule: DailySchedule | WeeklySchedule, at: Date): Slot {
  const { hour, minute } = parseTimeOfDay(schedule.time);
  const today = toZoned(at, schedule.timeZone);
  let date: LocalDateTime = { year: today.year, month: today.month, day: today.day, hour, minute, second: 0 };
  let step = 1;
  if (cadence === 'weekly') {
    const day = 'day' in schedule ? schedule.day : undefined;
    if (!day) throw new RangeError('a weekly schedule needs a day');
    const back = (today.isoWeekday - ISO_WEEKDAY[day] + 7) % 7;
    date = addLocalDays(date, -back);
    step = 7;
  }
  let instant = fromZoned(date, schedule.timeZone);
  if (instant.getTime() > at.getTime()) {
    date = addLocalDays(date, -step);
    instant = fromZoned(date, schedule.timeZone);
  }
  return { instant, local: date };
}

/**
 * `end` minus one period of the cadence on the local wall clock: a day (23 or 25 hours on
 * daylight-saving days) or seven days. Where the first edition of a cadence starts its window.
 */
export function onePeriodBefore(end: Date, cadence: DigestCadence, timeZone: string): Date {
  const local = toZoned(end, timeZone);
  const back = addLocalDays(local, cadence === 'daily' ? -1 : -7);
  return fromZoned(back, timeZone);
}
