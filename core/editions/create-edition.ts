import { isSlug } from '../content/slugify.js';
import type { FanOutResult } from '../delivery/fan-out.js';
import type { Edition, EditionTrigger } from '../edition.js';
import { DIGEST_CADENCES, type DigestCadence, type Publication, type RenderedPost } from '../model.js';
import type { Clock, EditionStore, Logger } from '../ports.js';
import { EditionRequestError } from './edition-errors.js';
import { postEditionId } from './edition-ids.js';
import {
  type DigestMoment,
  digestTarget,
  newEdition,
  type PlannedEdition,
  planDigest,
  planPostEdition,
} from './plan-edition.js';

export interface CreateEditionDeps {
  editions: EditionStore;
  publication: Publication;
  /** Every post as published now, rendered (drafts and future posts may be included: they are left out). */
  loadPosts(): Promise<readonly RenderedPost[]>;
  clock: Clock;
  /** Puts an edition's audience on the send queue: `createFanOut(...)`, or a call that starts it elsewhere. */
  fanOut(editionId: string): Promise<FanOutResult>;
  logger?: Logger | undefined;
}

/** A digest of a cadence, or the edition of one post (for `immediate` subscribers). */
export type EditionRequest = { cadence: DigestCadence } | { post: string };

export type CreateEditionResult =
  | {
      ok: true;
      /** False when the edition already existed (a second trigger): nothing new was created. */
      created: boolean;
      edition: Edition;
      /** The fan-out run, or undefined when the edition was already fanned out. */
      fanOut: FanOutResult | undefined;
    }
  | { ok: false; reason: 'no-posts' | 'no-schedule' | 'not-found' | 'not-published' };

/**
 * Creates an edition (idempotent) and fans it out. The id is deterministic, and the record is
 * written with a conditional create, so a schedule that fires twice, an editor who presses
 * "send now" during a scheduled run, or two editors at once all end with one edition: every
 * caller after the first gets `created: false` and the existing edition. A caller that finds the
 * edition not yet fanned out (its first fan-out died) resumes the shards not done.
 *
 * - `{ cadence }` from an editor: the digest of the current local date or ISO week, window ending now.
 * - `{ cadence }` with trigger `schedule` (see `createScheduledEditionRunner`): the latest slot.
 * - `{ post }`: `post-<slug>` for `immediate` subscribers; the post must be published.
 *
 * Nothing is written when there is nothing to send (`no-posts`).
 */
export function createEditionCreator(
  deps: CreateEditionDeps,
): (
  request: EditionRequest,
  options?: { trigger?: EditionTrigger; scheduledTime?: Date },
) => Promise<CreateEditionResult> {
  return async (request, options = {}) => {
    const now = deps.clock.now();
    const trigger = options.trigger ?? 'editor';
    let plan: PlannedEdition;
    if ('post' in request) {
      if (typeof request.post !== 'string' || !isSlug(request.post)) {
        throw new EditionRequestError('post', 'must be a post slug (lowercase a-z, 0-9 and single hyphens)');
      }
      const found = await deps.editions.get(postEditionId(request.post));
      if (found) return existing(deps, found);
      const planned = planPostEdition(await deps.loadPosts(), request.post, now);
      if (!planned.ok) return planned;
      plan = planned.plan;
    } else {
      if (!DIGEST_CADENCES.includes(request.cadence)) {
        throw new EditionRequestError('cadence', `must be one of ${DIGEST_CADENCES.join(', ')}`);
      }
      const moment: DigestMoment =
        trigger === 'schedule'
          ? { kind: 'schedule', scheduledTime: options.scheduledTime }
          : { kind: 'editor' };
      const target = digestTarget(request.cadence, deps.publication, moment, now);
      if (!target.ok) return target;
      const found = await deps.editions.get(target.target.id);
      if (found) return existing(deps, found);
      const [previous, posts] = await Promise.all([deps.editions.latest(request.cadence), deps.loadPosts()]);
      const planned = planDigest(target.target, previous, posts);
      if (!planned.ok) {
        deps.logger?.info('no edition: nothing published in the window', { id: target.target.id, trigger });
        return planned;
      }
      plan = planned.plan;
    }

    const edition = newEdition(plan, trigger, now);
    const written = await deps.editions.create(edition);
    if (!written.ok) {
      const found = await deps.editions.get(edition.id);
      if (!found)
        throw new Error(`edition ${edition.id}: create reported ${written.reason} but it cannot be read`);
      return existing(deps, found);
    }
    deps.logger?.info('edition created', { id: edition.id, trigger, posts: edition.postSlugs.length });
    return { ok: true, created: true, edition, fanOut: await deps.fanOut(edition.id) };
  };
}

async function existing(deps: CreateEditionDeps, edition: Edition): Promise<CreateEditionResult> {
  const fanOut = edition.fannedOutAt ? undefined : await deps.fanOut(edition.id);
  return { ok: true, created: false, edition, fanOut };
}
