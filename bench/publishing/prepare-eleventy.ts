/**
 * The Eleventy side of the full-build comparison: an Eleventy 3 project holding the very same
 * post files as Gazette's content folder, with layouts that make comparable pages (a post page
 * with Open Graph tags, an index listing every post with its summary, a page per tag) and an RSS
 * feed from @11ty/eleventy-plugin-rss.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ContentFile } from '../../core/content/content-file.js';
import { loadPublication } from '../../core/content/load-content.js';
import { REPO_ROOT } from '../support/paths.js';

const TEMPLATES = join(REPO_ROOT, 'bench/publishing/eleventy');

/** Where each template of bench/publishing/eleventy goes in the project. */
const PLACES: Record<string, string> = {
  'base.liquid': '_includes/layouts/base.liquid',
  'post.liquid': '_includes/layouts/post.liquid',
  'post-list.liquid': '_includes/post-list.liquid',
  'index.liquid': 'index.liquid',
  'tags.liquid': 'tags.liquid',
};

/** Writes the Eleventy project for `files` (a Gazette content folder) into `dir`. */
export async function prepareEleventyProject(dir: string, files: readonly ContentFile[]): Promise<void> {
  const publication = loadPublication(files);
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  await Promise.all(files.filter((f) => f.path.startsWith('posts/')).map((f) => write(f.path, f.text)));
  await write(
    'posts/posts.11tydata.json',
    // Posts are Markdown only: Eleventy's default would first run every post through Liquid,
    // work Gazette does not do, so it is turned off to compare like with like.
    JSON.stringify({ layout: 'layouts/post.liquid', templateEngineOverride: 'md', isPost: true }),
  );
  await write(
    '_data/site.json',
    JSON.stringify({
      title: publication.title,
      description: publication.description,
      url: publication.url,
      language: publication.language,
      author: { name: publication.author.name, email: publication.author.email },
      feedItems: publication.feed.items,
    }),
  );
  for (const [name, place] of Object.entries(PLACES)) {
    await mkdir(dirname(join(dir, place)), { recursive: true });
    await copyFile(join(TEMPLATES, name), join(dir, place));
  }
  await mkdir(join(dir, 'assets'), { recursive: true });
  await copyFile(join(REPO_ROOT, 'templates/site/style.css'), join(dir, 'assets/style.css'));
}
