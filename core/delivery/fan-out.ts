import type { Edition, Recipient, SendBatch } from '../edition.js';
import { FULL_VARIANT_KEY, type PostSet, topicMatcher } from '../editions/match-topics.js';
import type { RenderVariant } from '../editions/render-variant.js';
import { storeVariant } from '../editions/store-variant.js';
import type { Publication, RenderedPost } from '../model.js';
import type { Clock, EditionStore, Logger, ObjectStore, Queue, SubscriberIndex } from '../ports.js';
import { FANOUT_SHARDS } from '../subscriber.js';
import { MAX_RECIPIENTS_PER_BATCH } from './parse-send-batch.js';

/** Subscribers read per index page. */
export const FANOUT_PAGE_SIZE = 1000;

export interface FanOutDeps {
  editions: EditionStore;
  subscribers: SubscriberIndex;
  queue: Queue<SendBatch>;
  objects: ObjectStore;
  /** Renders a set of posts once (MJML + Liquid); see `templateVariantRenderer`. */
  renderVariant: RenderVariant;
  /** Every post as published now, rendered; the edition's are picked by slug. */
  loadPosts(): Promise<readonly RenderedPost[]>;
  publication: Pick<Publication, 'url'>;
  clock: Clock;
  logger?: Logger | undefined;
}

export type FanOutResult =
  | {
      ok: true;
      editionId: string;
      /** Recipients enqueued by this run (shards done earlier are not counted again). */
      enqueued: number;
      /** Shards this run read; shards already done are skipped. Every shard is done afterwards. */
      shardsRun: number;
    }
  | { ok: false; reason: 'missing' | 'posts-missing' };

/** `"00"` … `"15"`: the key of a shard in `Edition.shards`. */
export function shardKey(shard: number): string {
  return String(shard).padStart(2, '0');
}

/**
 * Puts an edition's audience on the send queue. Every shard of the subscriber index (active
 * subscribers of the edition's cadence) is read in parallel, page by page; each subscriber is
 * matched to the set of posts their topics select (none → not planned) and grouped by variant,
 * and groups go out as SendBatch messages of up to 50 recipients. The first time a set is seen
 * it is rendered and stored (once per distinct set, shared by all shards); the full set is always
 * rendered, as the public web copy. A shard is recorded done, with its planned count, after its
 * last message is enqueued; a repeated fan-out runs only the shards not done (what it enqueues
 * twice is absorbed by the ledger claim). The edition is marked fanned out when all are done.
 */
export function createFanOut(deps: FanOutDeps): (editionId: string) => Promise<FanOutResult> {
  return async (editionId) => {
    const edition = await deps.editions.get(editionId);
    if (!edition) return { ok: false, reason: 'missing' };
    if (edition.fannedOutAt) return { ok: true, editionId, enqueued: 0, shardsRun: 0 };

    const all = await deps.loadPosts();
    const bySlug = new Map(all.map((p) => [p.slug, p]));
    const posts = edition.postSlugs
      .map((s) => bySlug.get(s))
      .filter((p): p is RenderedPost => p !== undefined);
    if (posts.length === 0) {
      deps.logger?.error('fan-out: none of the edition posts is published', {
        editionId,
        posts: edition.postSlugs,
      });
      return { ok: false, reason: 'posts-missing' };
    }

    const variants = variantStore(deps, edition, posts);
    const match = topicMatcher(posts);
    await variants.ensure({ key: FULL_VARIANT_KEY, slugs: posts.map((p) => p.slug) });

    const pending = Array.from({ length: FANOUT_SHARDS }, (_, shard) => shard).filter(
      (shard) => !edition.shards[shardKey(shard)]?.done,
    );
    // Every shard runs to its end even when one fails, so a retry has as little left as possible.
    const runs = await Promise.allSettled(
      pending.map((shard) => fanOutShard(deps, edition, shard, match, variants)),
    );
    const failed = runs.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const enqueued = runs.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);

    // Every shard not done before is done now (a failing one throws, and a retry resumes there).
    await deps.editions.markFannedOut(editionId, deps.clock.now());
    deps.logger?.info('fan-out', { editionId, enqueued, shardsRun: pending.length });
    return { ok: true, editionId, enqueued, shardsRun: pending.length };
  };
}

/** Variants of one edition rendered at most once per fan-out run (and not again when recorded). */
function variantStore(
  deps: FanOutDeps,
  edition: Edition,
  posts: readonly RenderedPost[],
): { ensure(set: PostSet): Promise<void> } {
  const known = new Map<string, Promise<void>>();
  for (const v of edition.variants) known.set(v.key, Promise.resolve());
  return {
    ensure(set) {
      let ready = known.get(set.key);
      if (!ready) {
        ready = storeVariant(deps, edition, set, posts).then(() => undefined);
        known.set(set.key, ready);
      }
      return ready;
    },
  };
}

async function fanOutShard(
  deps: FanOutDeps,
  edition: Edition,
  shard: number,
  match: (topics: readonly string[]) => PostSet | undefined,
  variants: { ensure(set: PostSet): Promise<void> },
): Promise<number> {
  const groups = new Map<string, Recipient[]>();
  let planned = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.subscribers.page(edition.cadence, shard, cursor, FANOUT_PAGE_SIZE);
    cursor = page.cursor;
    const full: SendBatch[] = [];
    const fresh: PostSet[] = [];
    for (const entry of page.entries) {
      const set = match(entry.topics);
      if (!set) continue;
      let group = groups.get(set.key);
      if (!group) {
        group = [];
        groups.set(set.key, group);
        fresh.push(set);
      }
      group.push({ subscriberId: entry.subscriberId, emailKey: entry.emailKey });
      planned += 1;
      if (group.length === MAX_RECIPIENTS_PER_BATCH) {
        full.push({ editionId: edition.id, variantKey: set.key, recipients: group });
        groups.set(set.key, []);
      }
    }
    // A message may name a variant only once it is stored.
    await Promise.all(fresh.map((set) => variants.ensure(set)));
    if (full.length > 0) await deps.queue.sendBatch(full);
  } while (cursor !== undefined);

  const rest: SendBatch[] = [];
  for (const [variantKey, recipients] of groups) {
    if (recipients.length > 0) rest.push({ editionId: edition.id, variantKey, recipients });
  }
  if (rest.length > 0) await deps.queue.sendBatch(rest);
  await deps.editions.recordShard(edition.id, shardKey(shard), { done: true, planned });
  return planned;
}
