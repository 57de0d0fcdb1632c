/**
 * A publish that mails each newly published post once, even when the run dies between writing
 * the site and creating the editions.
 */
import type { CreateEditionResult } from '../../core/editions/create-edition.js';
import type { Logger, ObjectStore } from '../../core/ports.js';
import type { BuiltPublication } from '../../core/publish/build-publication.js';
import { readPublicationRecord } from '../../core/publish/publication-record.js';
import { type PublishReport, publishSite } from '../../core/publish/publish-site.js';

/**
 * Slugs whose `post-<slug>` edition is owed: written before the site (and its manifest of
 * published posts) is, cleared once the editions exist. Under `_gazette/`, which publishing
 * never deletes.
 */
export const PENDING_POST_EDITIONS_KEY = '_gazette/pending-post-editions.json';

export type PostEditionOutcome = CreateEditionResult | { ok: false; reason: 'error'; error: string };

export interface PublishWithEditionsResult {
  report: PublishReport;
  /** One entry per post edition asked for: newly published posts and those still owed by an earlier run. */
  editions: Array<{ slug: string; result: PostEditionOutcome }>;
  /** Slugs still owed after this run (their edition failed; the next publish tries again). */
  pending: string[];
}

/**
 * Writes the site (only changed objects) and creates the `post-<slug>` edition of every post
 * published for the first time. The publish manifest tells which posts are new, and it is
 * rewritten by the site write, so the slugs owed an edition are recorded first: a run that dies
 * after the site write leaves them for the next run (the hourly schedule at the latest), and
 * creating an edition twice is a no-op. A first publish (no manifest yet) mails nothing: the
 * back catalogue is not news.
 */
export async function publishWithPostEditions(input: {
  objects: ObjectStore;
  built: BuiltPublication;
  /** The publish instant: when the posts new in this run first appeared (see `publishSite`). */
  now: Date;
  createPostEditions(input: {
    slugs: readonly string[];
  }): Promise<Array<{ slug: string; result: PostEditionOutcome }>>;
  logger?: Logger | undefined;
}): Promise<PublishWithEditionsResult> {
  const { objects, built } = input;
  const published = built.posts.map((p) => p.slug);
  const [previous, owed] = await Promise.all([
    readPublicationRecord(objects),
    readSlugs(objects, PENDING_POST_EDITIONS_KEY),
  ]);
  const fresh = previous ? published.filter((slug) => !previous.has(slug)) : [];
  const due = [...new Set([...(owed ?? []), ...fresh])];
  const recorded = fresh.some((slug) => !owed?.has(slug));
  if (recorded) await writeSlugs(objects, PENDING_POST_EDITIONS_KEY, due);

  const report = await publishSite(objects, built.site, built.posts, { now: input.now });
  const editions = due.length > 0 ? await input.createPostEditions({ slugs: due }) : [];
  // Only a failure is owed again: created, found, or refused for good (not found, not published).
  const pending = editions.filter((e) => !e.result.ok && e.result.reason === 'error').map((e) => e.slug);
  if (pending.length > 0) await writeSlugs(objects, PENDING_POST_EDITIONS_KEY, pending);
  else if (recorded || owed !== undefined) await objects.delete([PENDING_POST_EDITIONS_KEY]);
  if (pending.length > 0) input.logger?.error('post editions still owed', { slugs: pending });
  return { report, editions, pending };
}

/** What a publish did, in a few numbers and names (for the log line and the function's answer). */
export function summarizePublish(result: PublishWithEditionsResult) {
  return {
    written: result.report.written.length,
    deleted: result.report.deleted.length,
    newlyPublished: result.report.newlyPublished,
    editions: result.editions.map((e) => ({
      slug: e.slug,
      ok: e.result.ok,
      ...(e.result.ok
        ? { editionId: e.result.edition.id, created: e.result.created }
        : { reason: e.result.reason }),
    })),
    pending: result.pending,
  };
}

async function readSlugs(objects: ObjectStore, key: string): Promise<Set<string> | undefined> {
  const object = await objects.get(key);
  if (!object) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(object.body)) as { slugs?: unknown };
    return new Set(
      Array.isArray(parsed.slugs) ? parsed.slugs.filter((s): s is string => typeof s === 'string') : [],
    );
  } catch {
    // Unreadable: nothing owed is known (a broken file must not mail anything twice or at random).
    return undefined;
  }
}

function writeSlugs(objects: ObjectStore, key: string, slugs: readonly string[]): Promise<void> {
  return objects.put(key, JSON.stringify({ slugs: [...slugs].sort() }), {
    contentType: 'application/json',
    cacheControl: 'no-store',
  });
}
