import type { ContentFile } from '../content/content-file.js';
import { loadContent } from '../content/load-content.js';
import { selectPublished } from '../content/select-published.js';
import type { Post, Publication, RenderedPost } from '../model.js';
import { renderPost } from '../render/render-post.js';
import { buildSite, type SiteFile } from '../site/build-site.js';
import type { SiteTemplates } from '../site/site-templates.js';

/** Everything one build produces, before anything is written. */
export interface BuiltPublication {
  publication: Publication;
  /** Every post in content/, drafts and future ones included (the console lists them). */
  allPosts: Post[];
  /** Published posts (due, not drafts), rendered, newest first. */
  posts: RenderedPost[];
  /** The archive pages, feeds and stylesheet. */
  site: SiteFile[];
}

/**
 * Parses and validates the content (throwing one ContentError with every problem), renders the
 * posts that are due at `now`, and builds the site in memory. Nothing is written here, so invalid
 * content can never leave a half-written site behind.
 *
 * `publicUrl` overrides the publication URL (the local stack serves at http://127.0.0.1:PORT/).
 */
export async function buildPublication(input: {
  files: readonly ContentFile[];
  templates: SiteTemplates;
  now: Date;
  publicUrl?: string | undefined;
}): Promise<BuiltPublication> {
  const content = loadContent([...input.files]);
  const publication = input.publicUrl
    ? { ...content.publication, url: withSlash(input.publicUrl) }
    : content.publication;
  const posts = selectPublished(content.posts, input.now).map((post) => renderPost(post, publication));
  const site = await buildSite({ publication, posts, templates: input.templates });
  return { publication, allPosts: content.posts, posts, site };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
