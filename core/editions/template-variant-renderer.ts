import { renderEdition } from '../email/render-edition.js';
import type { EmailTemplates } from '../email/rendered-mail.js';
import type { Publication } from '../model.js';
import type { RenderVariant } from './render-variant.js';

/**
 * The renderer the composition roots inject: the publication's email templates (MJML + Liquid).
 * This module loads MJML; only fan-out and the editor's use cases may receive what it returns.
 */
export function templateVariantRenderer(publication: Publication, templates: EmailTemplates): RenderVariant {
  return (request) =>
    renderEdition({
      publication,
      templates,
      editionId: request.editionId,
      kind: request.kind,
      cadence: request.cadence,
      posts: request.posts,
    });
}
