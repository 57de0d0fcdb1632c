/**
 * Wall-clock time in IANA time zones, on top of Intl (no dependency).
 * Daylight-saving rules come from the runtime's ICU data.
 */

export interface LocalDateTime {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface ZonedParts extends LocalDateTime {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock reading of an instant in a time zone. */
export function toZoned(instant: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    isoWeekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

/** Offset of the zone from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(instant: Date, timeZone: string): number {
  const z = toZoned(instant, timeZone);
  const asUtc = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return asUtc - whole;
}

/**
 * The instant at which a wall-clock time occurs in a zone. A time skipped by a
 * spring-forward gap is moved forward by the gap (02:30 → 03:30); a time that
 * occurs twice in a fall-back overlap resolves to the earlier instant.
 */
export function fromZoned(local: LocalDateTime, timeZone: string): Date {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // Try the offsets in force a day either side; pick the earliest that reads back right.
  const candidates = new Set([
    offsetAt(new Date(naive - 86_400_000), timeZone),
    offsetAt(new Date(naive), timeZone),
    offsetAt(new Date(naive + 86_400_000), timeZone),
  ]);
  const matches: number[] = [];
  for (const off of candidates) {
    const t = naive - off;
    if (offsetAt(new Date(t), timeZone) === off) matches.push(t);
  }
  if (matches.length > 0) return new Date(Math.min(...matches));
  // In a gap: use the offset before the transition, which lands after it.
  const before = offsetAt(new Date(naive - 86_400_000), timeZone);
  return new Date(naive - before);
}

/** Adds whole calendar days to a local date (month and year roll over). */
export function addLocalDays(local: LocalDateTime, days: number): LocalDateTime {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `2026-11-27` for a local date. */
export function isoDate(local: Pick<LocalDateTime, 'year' | 'month' | 'day'>): string {
  return `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}

/** ISO 8601 week-numbering year and week of a local date: `{ year: 2026, week: 48 }`. */
export function isoWeek(local: Pick<LocalDateTime, 'year' | 'month' | 'day'>): {
  year: number;
  week: number;
} {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow); // Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return { year: d.getUTCFullYear(), week };
}
