import { DIGEST_CADENCES, type DigestCadence } from '../model.js';
import { type CreateEditionDeps, type CreateEditionResult, createEditionCreator } from './create-edition.js';
import { EditionRequestError } from './edition-errors.js';

/** What a digest schedule hands its handler (`ScheduledEditionEvent`); `scheduledTime` is optional. */
export interface ScheduledEditionInput {
  cadence: DigestCadence;
  /** When the schedule was due (ISO 8601 or a Date); now when absent. */
  scheduledTime?: string | Date | undefined;
}

/**
 * The handler every digest schedule calls (EventBridge Scheduler on AWS, the cron locally): the
 * digest of the latest slot at or before the scheduled time, created once and fanned out. A late
 * firing keeps its slot; a second firing finds the edition; a run with nothing published since
 * the last edition writes nothing (`no-posts`), and the next one covers the whole gap.
 */
export function createScheduledEditionRunner(
  deps: CreateEditionDeps,
): (input: ScheduledEditionInput) => Promise<CreateEditionResult> {
  const create = createEditionCreator(deps);
  return async (input) => {
    if (!DIGEST_CADENCES.includes(input.cadence)) {
      throw new EditionRequestError('cadence', `must be one of ${DIGEST_CADENCES.join(', ')}`);
    }
    let scheduledTime: Date | undefined;
    if (input.scheduledTime !== undefined) {
      scheduledTime =
        input.scheduledTime instanceof Date ? input.scheduledTime : new Date(input.scheduledTime);
      if (Number.isNaN(scheduledTime.getTime())) {
        throw new EditionRequestError(
          'scheduledTime',
          `not an ISO 8601 instant: ${JSON.stringify(String(input.scheduledTime).slice(0, 40))}`,
        );
      }
    }
    return create({ cadence: input.cadence }, { trigger: 'schedule', scheduledTime });
  };
}
