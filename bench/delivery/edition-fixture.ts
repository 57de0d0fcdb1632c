/**
 * The edition the delivery benchmarks send: a weekly digest of five synthetic posts (the
 * publishing benchmarks' generator), rendered with the real templates, over ports the caller
 * gives. Fan-out creates the stored variant and the queue messages, as in production.
 */
import { join } from 'node:path';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import type { Edition } from '../../core/edition.js';
import { newEdition } from '../../core/editions/plan-edition.js';
import type { EmailTemplates } from '../../core/email/rendered-mail.js';
import type { Publication, RenderedPost } from '../../core/model.js';
import type { EditionStore } from '../../core/ports.js';
import { renderSyntheticPosts } from '../publishing/synthetic-content.js';
import { REPO_ROOT } from '../support/paths.js';

/** Posts in the benchmark digest. */
export const DIGEST_POSTS = 5;

export interface BenchContent {
  publication: Publication;
  posts: RenderedPost[];
  emailTemplates: EmailTemplates;
}

export async function benchContent(publicUrl = 'https://bench.example.com/'): Promise<BenchContent> {
  const { publication, posts } = renderSyntheticPosts(DIGEST_POSTS, { feedItems: 20 });
  const emailTemplates = (await readTemplates(join(REPO_ROOT, 'templates'))).email;
  return { publication: { ...publication, url: publicUrl }, posts, emailTemplates };
}

/** Writes a weekly digest edition of the content's posts under `id` (not yet fanned out). */
export async function createDigest(
  editions: EditionStore,
  content: BenchContent,
  id: string,
): Promise<Edition> {
  const end = new Date(Math.max(...content.posts.map((p) => p.date.getTime())) + 3_600_000);
  const edition = newEdition(
    {
      id,
      cadence: 'weekly',
      kind: 'digest',
      windowStart: new Date(end.getTime() - 7 * 86_400_000),
      windowEnd: end,
      posts: content.posts,
    },
    'editor',
    new Date(),
  );
  const written = await editions.create(edition);
  if (!written.ok) throw new Error(`edition ${id} exists already`);
  return edition;
}
