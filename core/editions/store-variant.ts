import type { Edition, EditionVariant } from '../edition.js';
import { browserVersion } from '../email/personalize.js';
import type { RenderedEdition } from '../email/rendered-mail.js';
import type { Publication, RenderedPost } from '../model.js';
import type { EditionStore, ObjectStore } from '../ports.js';
import { variantObjectKey, webCopyObjectKey } from './edition-objects.js';
import { FULL_VARIANT_KEY, type PostSet } from './match-topics.js';
import type { RenderVariant } from './render-variant.js';

export interface StoreVariantDeps {
  editions: EditionStore;
  objects: ObjectStore;
  renderVariant: RenderVariant;
  publication: Pick<Publication, 'url'>;
}

/** A variant, rendered and stored: its record and the rendering (for a test send or a preview). */
export interface StoredVariant {
  variant: EditionVariant;
  rendered: RenderedEdition;
}

/**
 * Renders one set of an edition's posts, stores it at `editions/<id>/variants/<key>.json` and
 * records it on the edition. The full set also becomes the public web copy
 * (`editions/<id>/index.html`, both personal links pointing at the subscribe page). Stored before
 * it is recorded, and recorded before any queue message names it, so a worker never looks for a
 * variant that is not there. Repeating it rewrites the same bytes.
 */
export async function storeVariant(
  deps: StoreVariantDeps,
  edition: Pick<Edition, 'id' | 'kind' | 'cadence'>,
  set: PostSet,
  posts: readonly RenderedPost[],
): Promise<StoredVariant> {
  const bySlug = new Map(posts.map((p) => [p.slug, p]));
  const chosen = set.slugs.map((slug) => bySlug.get(slug)).filter((p): p is RenderedPost => p !== undefined);
  const rendered = await deps.renderVariant({
    editionId: edition.id,
    kind: edition.kind,
    cadence: edition.cadence === 'immediate' ? undefined : edition.cadence,
    posts: chosen,
  });
  const objectKey = variantObjectKey(edition.id, set.key);
  await deps.objects.put(objectKey, JSON.stringify(rendered), {
    contentType: 'application/json; charset=utf-8',
    cacheControl: 'no-cache',
  });
  if (set.key === FULL_VARIANT_KEY) {
    await deps.objects.put(webCopyObjectKey(edition.id), browserVersion(rendered, deps.publication), {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
  }
  const variant: EditionVariant = {
    key: set.key,
    postSlugs: chosen.map((p) => p.slug),
    subject: rendered.subject,
    objectKey,
  };
  await deps.editions.addVariant(edition.id, variant);
  return { variant, rendered };
}
