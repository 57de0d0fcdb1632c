import type { Cadence, Publication } from '../model.js';

/**
 * Cadences a subscriber may choose: `immediate` always, digests only when the publication has a
 * schedule for them (a weekly subscriber of a publication without a weekly digest would get nothing).
 */
export function availableCadences(publication: Publication): Cadence[] {
  const cadences: Cadence[] = ['immediate'];
  if (publication.schedule.daily) cadences.push('daily');
  if (publication.schedule.weekly) cadences.push('weekly');
  return cadences;
}

/** The cadence of a request that names none: the weekly digest, else the daily one, else each post. */
export function defaultCadence(publication: Publication): Cadence {
  if (publication.schedule.weekly) return 'weekly';
  if (publication.schedule.daily) return 'daily';
  return 'immediate';
}
