import type { ContentFile } from '../../core/content/content-file.js';
import { loadContent } from '../../core/content/load-content.js';
import { selectPublished } from '../../core/content/select-published.js';
import type { Post, Publication, RenderedPost } from '../../core/model.js';
import type { ObjectStore } from '../../core/ports.js';
import { readPublicationRecord, withPublicationTimes } from '../../core/publish/publication-record.js';
import { renderPost } from '../../core/render/render-post.js';
import type { ContentSource } from './content-source.js';

/** The publication and its posts as they stand at one instant. */
export interface PublishedContent {
  /** With `url` set to the public URL of this deployment, where every link points. */
  publication: Publication;
  /** Every post, drafts and future ones included. */
  allPosts: Post[];
  /**
   * The posts published at that instant, rendered, newest first, each with `publishedAt` from
   * the site's publication record when there is a site store (digests place posts by it).
   */
  posts: RenderedPost[];
  /** The files read (the publish function builds the site from them). */
  files: ContentFile[];
  revision: string;
}

/**
 * Reads the content and answers what is published at a given instant. The parse is kept per
 * revision of the content and each post's rendering per revision, so a warm function that is
 * asked again (an hourly run, an editor's preview, then send) renders nothing twice.
 *
 * @throws ContentError listing every problem when the content does not load.
 */
export function createContentReader(
  source: ContentSource,
  options: {
    publicUrl: string;
    /** The site bucket, whose publication record tells when each post first appeared. */
    site?: ObjectStore | undefined;
  },
): (now: Date) => Promise<PublishedContent> {
  let cached:
    | { revision: string; publication: Publication; posts: Post[]; rendered: Map<string, RenderedPost> }
    | undefined;
  return async (now) => {
    const [snapshot, record] = await Promise.all([
      source.read(),
      options.site ? readPublicationRecord(options.site) : undefined,
    ]);
    if (cached?.revision !== snapshot.revision) {
      const content = loadContent(snapshot.files);
      cached = {
        revision: snapshot.revision,
        publication: { ...content.publication, url: withSlash(options.publicUrl) },
        posts: content.posts,
        rendered: new Map(),
      };
    }
    const { publication, rendered } = cached;
    const posts = selectPublished(cached.posts, now).map((post) => {
      let done = rendered.get(post.slug);
      if (!done) {
        done = renderPost(post, publication);
        rendered.set(post.slug, done);
      }
      return done;
    });
    return {
      publication,
      allPosts: cached.posts,
      posts: withPublicationTimes(posts, record),
      files: snapshot.files,
      revision: snapshot.revision,
    };
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
