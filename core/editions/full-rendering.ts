import type { Edition } from '../edition.js';
import type { RenderedEdition } from '../email/rendered-mail.js';
import type { RenderedPost } from '../model.js';
import { FULL_VARIANT_KEY } from './match-topics.js';
import { readStoredVariant } from './read-variant.js';
import { type StoreVariantDeps, storeVariant } from './store-variant.js';

export interface FullRenderingDeps extends StoreVariantDeps {
  loadPosts(): Promise<readonly RenderedPost[]>;
}

/**
 * The full variant of an existing edition: the stored one when fan-out made it, else rendered
 * from the edition's posts now and stored (so the web copy exists too). Undefined when none of
 * its posts is published any more.
 */
export async function fullRendering(
  deps: FullRenderingDeps,
  edition: Edition,
): Promise<RenderedEdition | undefined> {
  const stored = await readStoredVariant(deps.objects, edition.id, FULL_VARIANT_KEY);
  if (stored) return stored;
  const all = await deps.loadPosts();
  const bySlug = new Map(all.map((p) => [p.slug, p]));
  const posts = edition.postSlugs.map((s) => bySlug.get(s)).filter((p): p is RenderedPost => p !== undefined);
  if (posts.length === 0) return undefined;
  const { rendered } = await storeVariant(
    deps,
    edition,
    { key: FULL_VARIANT_KEY, slugs: posts.map((p) => p.slug) },
    posts,
  );
  return rendered;
}
