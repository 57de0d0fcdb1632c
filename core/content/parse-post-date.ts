import { fromZoned } from '../time/zoned.js';

// 2022-01-13 | 2022-01-13 09:30 | 2022-01-13T09:30:15.250 | …with Z, +01:00, +0100 or +01
const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?))?)?$/;

/**
 * Reads a post's date: `2022-01-13`, `2022-01-13 09:30`, `2022-01-13T09:30[:ss[.fff]]`,
 * optionally ending in `Z` or an offset (`+01:00`, `-0500`). A date or time without an offset is
 * wall-clock time in `timeZone` (a bare date is its midnight). Undefined when the text is not
 * such a date or names a day or time that does not exist (`2022-02-30`, `24:10`, years before 1000).
 */
export function parsePostDate(text: string, timeZone: string): Date | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) =>
    Number(v ?? 0),
  ) as [number, number, number, number, number, number];
  const millisecond = Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0'));
  // Years before 1000 are typos, and Date.UTC would read 0-99 as 1900-1999.
  if (year < 1000) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;

  const zone = m[8];
  if (zone === undefined) {
    const instant = fromZoned({ year, month, day, hour, minute, second }, timeZone);
    return new Date(instant.getTime() + millisecond);
  }
  const offset = parseOffset(zone);
  if (offset === undefined) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Milliseconds east of UTC; undefined beyond the ±14:00 any zone uses. */
function parseOffset(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}
