import { isSlug } from '../content/slugify.js';
import type { RenderedEdition } from '../email/rendered-mail.js';
import { DIGEST_CADENCES, type Publication, type RenderedPost } from '../model.js';
import type { Clock, EditionStore, ObjectStore } from '../ports.js';
import type { EditionRequest } from './create-edition.js';
import { EditionRequestError } from './edition-errors.js';
import { postEditionId } from './edition-ids.js';
import { FULL_VARIANT_KEY } from './match-topics.js';
import { nonPersonalCopy } from './non-personal-copy.js';
import {
  type DigestTarget,
  digestTarget,
  type PlannedEdition,
  planDigest,
  planPostEdition,
} from './plan-edition.js';
import { readStoredVariant } from './read-variant.js';
import type { RenderVariant } from './render-variant.js';

export interface PreviewEditionDeps {
  editions: EditionStore;
  objects: ObjectStore;
  publication: Publication;
  loadPosts(): Promise<readonly RenderedPost[]>;
  renderVariant: RenderVariant;
  clock: Clock;
}

export type PreviewResult =
  | {
      ok: true;
      editionId: string;
      /** True when "send now" would find this edition already made (the preview shows it as made). */
      exists: boolean;
      subject: string;
      preheader: string;
      /** The full edition, links made non-personal. */
      html: string;
      text: string;
      /** Slugs of its posts, newest first. */
      posts: string[];
    }
  | { ok: false; reason: 'no-posts' | 'not-found' | 'not-published' };

/**
 * What "send now" would send, without writing anything: the edition it would create (rendered
 * here, not stored), or the one it would find. The full set of posts is shown, with links that
 * belong to nobody.
 */
export function createEditionPreviewer(
  deps: PreviewEditionDeps,
): (request: EditionRequest) => Promise<PreviewResult> {
  return async (request) => {
    const now = deps.clock.now();
    let id: string;
    let target: DigestTarget | undefined;
    if ('post' in request) {
      if (typeof request.post !== 'string' || !isSlug(request.post)) {
        throw new EditionRequestError('post', 'must be a post slug (lowercase a-z, 0-9 and single hyphens)');
      }
      id = postEditionId(request.post);
    } else {
      if (!DIGEST_CADENCES.includes(request.cadence)) {
        throw new EditionRequestError('cadence', `must be one of ${DIGEST_CADENCES.join(', ')}`);
      }
      const found = digestTarget(request.cadence, deps.publication, { kind: 'editor' }, now);
      if (!found.ok) throw new Error('an editor target always has a time zone');
      target = found.target;
      id = target.id;
    }

    const made = await deps.editions.get(id);
    const posts = await deps.loadPosts();
    let plan: PlannedEdition;
    if (made) {
      const bySlug = new Map(posts.map((p) => [p.slug, p]));
      const chosen = made.postSlugs
        .map((s) => bySlug.get(s))
        .filter((p): p is RenderedPost => p !== undefined);
      const stored = await readStoredVariant(deps.objects, id, FULL_VARIANT_KEY);
      if (stored) return answer(deps, id, true, stored, made.postSlugs);
      if (chosen.length === 0) return { ok: false, reason: 'not-found' };
      plan = {
        id,
        cadence: made.cadence,
        kind: made.kind,
        windowStart: new Date(made.windowStart),
        windowEnd: new Date(made.windowEnd),
        posts: chosen,
      };
    } else {
      const planned = target
        ? planDigest(target, await deps.editions.latest(target.cadence), posts)
        : planPostEdition(posts, (request as { post: string }).post, now);
      if (!planned.ok) return planned;
      plan = planned.plan;
    }
    const rendered = await deps.renderVariant({
      editionId: plan.id,
      kind: plan.kind,
      cadence: plan.cadence === 'immediate' ? undefined : plan.cadence,
      posts: plan.posts,
    });
    return answer(
      deps,
      id,
      made !== undefined,
      rendered,
      plan.posts.map((p) => p.slug),
    );
  };
}

function answer(
  deps: PreviewEditionDeps,
  editionId: string,
  exists: boolean,
  rendered: RenderedEdition,
  posts: string[],
): PreviewResult {
  const copy = nonPersonalCopy(rendered, deps.publication);
  return {
    ok: true,
    editionId,
    exists,
    subject: rendered.subject,
    preheader: rendered.preheader,
    html: copy.html,
    text: copy.text,
    posts,
  };
}
