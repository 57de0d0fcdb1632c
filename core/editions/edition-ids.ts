import type { DigestCadence } from '../model.js';
import { isoDate, isoWeek, type LocalDateTime } from '../time/zoned.js';

/**
 * The id of a digest for a local date in the schedule's time zone: `daily-2026-11-27` for the
 * day, `weekly-2026-W48` for the ISO 8601 week that holds it (the week-numbering year, so
 * 2027-01-01 is in `weekly-2026-W53`). Deterministic, so a second trigger finds the first edition.
 */
export function digestEditionId(
  cadence: DigestCadence,
  local: Pick<LocalDateTime, 'year' | 'month' | 'day'>,
): string {
  if (cadence === 'daily') return `daily-${isoDate(local)}`;
  const { year, week } = isoWeek(local);
  return `weekly-${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The id of the edition that mails one post to `immediate` subscribers: `post-<slug>`. */
export function postEditionId(slug: string): string {
  return `post-${slug}`;
}
