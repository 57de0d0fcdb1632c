import type { Cadence, Publication } from '../../core/model.js';

/** How a cadence reads on a form, with the publication's schedule where there is one. */
export function cadenceLabel(cadence: Cadence, publication: Publication): string {
  switch (cadence) {
    case 'immediate':
      return 'Every post, as soon as it is published';
    case 'daily': {
      const daily = publication.schedule.daily;
      return daily ? `A daily digest (at ${daily.time}, ${daily.timeZone})` : 'A daily digest';
    }
    case 'weekly': {
      const weekly = publication.schedule.weekly;
      if (!weekly) return 'A weekly digest';
      const day = weekly.day.charAt(0).toUpperCase() + weekly.day.slice(1);
      return `A weekly digest (${day}s at ${weekly.time}, ${weekly.timeZone})`;
    }
  }
}
