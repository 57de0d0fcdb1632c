import { isDue } from '../content/select-published.js';
import type { Edition, EditionTrigger } from '../edition.js';
import type { DailySchedule, DigestCadence, Publication, RenderedPost } from '../model.js';
import { toZoned } from '../time/zoned.js';
import { digestEditionId, postEditionId } from './edition-ids.js';
import { latestSlot, onePeriodBefore } from './schedule-slot.js';

/** When a digest is asked for: by its schedule (at a slot) or by an editor (now). */
export type DigestMoment = { kind: 'schedule'; scheduledTime?: Date | undefined } | { kind: 'editor' };

/** Which digest a trigger asks for: its deterministic id and where its window ends. */
export interface DigestTarget {
  id: string;
  cadence: DigestCadence;
  windowEnd: Date;
  /** The zone the id was computed in. */
  timeZone: string;
}

/**
 * The digest a trigger asks for, in the schedule's time zone (the publication's when an editor
 * sends a digest that has no schedule).
 *
 * - A scheduled run belongs to the latest slot at or before its scheduled time (or now, when it
 *   has none or names one in the future): a late firing keeps its slot's id, and its window ends
 *   at the slot instant.
 * - An editor's "send now" takes the id of the current local date (daily) or ISO week (weekly)
 *   and ends its window now.
 */
export function digestTarget(
  cadence: DigestCadence,
  publication: Publication,
  moment: DigestMoment,
  now: Date,
): { ok: true; target: DigestTarget } | { ok: false; reason: 'no-schedule' } {
  const schedule: DailySchedule | undefined = publication.schedule[cadence];
  if (moment.kind === 'schedule') {
    if (!schedule) return { ok: false, reason: 'no-schedule' };
    const at =
      moment.scheduledTime && moment.scheduledTime.getTime() <= now.getTime() ? moment.scheduledTime : now;
    const slot = latestSlot(cadence, schedule, at);
    return {
      ok: true,
      target: {
        id: digestEditionId(cadence, slot.local),
        cadence,
        windowEnd: slot.instant,
        timeZone: schedule.timeZone,
      },
    };
  }
  const timeZone = schedule?.timeZone ?? publication.timeZone;
  return {
    ok: true,
    target: { id: digestEditionId(cadence, toZoned(now, timeZone)), cadence, windowEnd: now, timeZone },
  };
}

/** An edition worth sending: its id, window and posts (newest first). Nothing written yet. */
export interface PlannedEdition {
  id: string;
  cadence: Edition['cadence'];
  kind: Edition['kind'];
  windowStart: Date;
  windowEnd: Date;
  posts: RenderedPost[];
}

export type PlanResult =
  | { ok: true; plan: PlannedEdition }
  | { ok: false; reason: 'no-posts' | 'not-found' | 'not-published' };

/**
 * What is in a digest. The window starts where the cadence's latest edition ended, so a gap of
 * several days gives one edition with every post since, and no post falls between two editions;
 * with no edition yet, it starts one period (local days: 23 or 25 hours across a daylight-saving
 * change) before its end. Published posts dated in (start, end] are in, newest first; none →
 * `no-posts`. A post is placed by its date: one dated before the end of a window it arrives
 * after (a late deploy of a backdated post) is not mailed in a digest.
 */
export function planDigest(
  target: DigestTarget,
  previous: Pick<Edition, 'windowEnd'> | undefined,
  posts: readonly RenderedPost[],
): PlanResult {
  const windowStart = previous
    ? new Date(previous.windowEnd)
    : onePeriodBefore(target.windowEnd, target.cadence, target.timeZone);
  const selected = postsInWindow(posts, windowStart, target.windowEnd);
  if (selected.length === 0) return { ok: false, reason: 'no-posts' };
  return {
    ok: true,
    plan: {
      id: target.id,
      cadence: target.cadence,
      kind: 'digest',
      windowStart,
      windowEnd: target.windowEnd,
      posts: selected,
    },
  };
}

/**
 * The published posts that appeared in (start, end] — by `publishedAt` when the publish record
 * knows it, else by date — newest first (ties by slug, as the archive lists them).
 */
export function postsInWindow(posts: readonly RenderedPost[], start: Date, end: Date): RenderedPost[] {
  const from = start.getTime();
  const to = end.getTime();
  return posts
    .filter((post) => {
      const appeared = (post.publishedAt ?? post.date).getTime();
      return isDue(post, end) && appeared > from && appeared <= to;
    })
    .sort((a, b) => b.date.getTime() - a.date.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/**
 * The edition that mails one published post to `immediate` subscribers: `post-<slug>`. Its
 * window runs from the post's date to now and is only informative.
 */
export function planPostEdition(posts: readonly RenderedPost[], slug: string, now: Date): PlanResult {
  const post = posts.find((p) => p.slug === slug);
  if (!post) return { ok: false, reason: 'not-found' };
  if (!isDue(post, now)) return { ok: false, reason: 'not-published' };
  return {
    ok: true,
    plan: {
      id: postEditionId(slug),
      cadence: 'immediate',
      kind: 'post',
      windowStart: post.date,
      windowEnd: now,
      posts: [post],
    },
  };
}

/** The edition record for a plan, as it is first written. */
export function newEdition(plan: PlannedEdition, trigger: EditionTrigger, now: Date): Edition {
  return {
    id: plan.id,
    cadence: plan.cadence,
    kind: plan.kind,
    windowStart: plan.windowStart.toISOString(),
    windowEnd: plan.windowEnd.toISOString(),
    postSlugs: plan.posts.map((p) => p.slug),
    variants: [],
    state: 'sending',
    trigger,
    createdAt: now.toISOString(),
    shards: {},
  };
}
