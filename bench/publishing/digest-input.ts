import type { RenderEditionInput } from '../../core/email/render-edition.js';
import type { Publication, RenderedPost } from '../../core/model.js';

/**
 * What renderEdition gets for the publishing benchmarks' weekly digest of `posts` (types only:
 * the first-call benchmark times the renderer's import itself).
 */
export function weeklyDigestInput(
  publication: Publication,
  templates: Record<string, string>,
  posts: RenderedPost[],
): RenderEditionInput {
  return { publication, templates, editionId: 'weekly-2026-W22', kind: 'digest', cadence: 'weekly', posts };
}
