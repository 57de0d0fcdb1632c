import type { RenderedEdition } from '../email/rendered-mail.js';
import type { DigestCadence, RenderedPost } from '../model.js';

/** One set of an edition's posts to render for the audience that gets exactly those posts. */
export interface VariantRequest {
  editionId: string;
  kind: 'digest' | 'post';
  /** The digest's cadence; undefined for a post edition. */
  cadence: DigestCadence | undefined;
  /** Newest first. */
  posts: RenderedPost[];
}

/**
 * Renders a variant once, with the per-recipient placeholders in place. Kept behind a function
 * type so that fan-out and the editor's use cases receive it from their composition root, and
 * nothing the send worker loads pulls in MJML or Liquid (see `templateVariantRenderer`).
 */
export type RenderVariant = (request: VariantRequest) => Promise<RenderedEdition>;
