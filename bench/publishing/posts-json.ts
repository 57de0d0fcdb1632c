/** Rendered posts through JSON, so a fresh child process gets exactly the parent's posts. */
import type { Publication, RenderedPost } from '../../core/model.js';

export interface PostsFile {
  publication: Publication;
  posts: RenderedPost[];
}

export function postsToJson(file: PostsFile): string {
  return JSON.stringify(file);
}

/** Parses {@link postsToJson}'s output, turning the ISO dates back into Dates. */
export function postsFromJson(json: string): PostsFile {
  const parsed = JSON.parse(json) as PostsFile;
  return {
    publication: parsed.publication,
    posts: parsed.posts.map((post) => ({
      ...post,
      date: new Date(post.date),
      updated: post.updated === undefined ? undefined : new Date(post.updated),
    })),
  };
}
