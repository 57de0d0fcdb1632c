import { ContentError } from '../errors.js';
import type { Publication, RenderedPost } from '../model.js';
import { type PostView, postView, type TagView, tagView } from './post-view.js';
import { renderFeeds, renderTagFeed, tagFeedUrl } from './render-feeds.js';
import { type FeedLink, publicationFeedLinks } from './render-layout.js';
import { assertSiteTemplates, basePath, renderTemplate, type SiteTemplates } from './site-templates.js';
import { newestFirst } from './sort-posts.js';

/** One file of the built archive, as it goes to the site bucket or to disk. */
export interface SiteFile {
  /** Path relative to the site root, `/`-separated: `posts/hello/index.html`. */
  path: string;
  body: string;
  contentType: string;
}

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

export interface BuildSiteInput {
  publication: Publication;
  /** The posts to publish (drafts and future posts already left out). */
  posts: RenderedPost[];
  templates: SiteTemplates;
}

interface TagGroup {
  view: TagView;
  posts: RenderedPost[];
}

/**
 * Builds the whole archive: `index.html`, `posts/<slug>/index.html`, `tags/<tag>/index.html` and
 * `tags/<tag>/feed.xml`, `feed.xml`, `atom.xml`, `feed.json`, `assets/style.css`,
 * `assets/favicon.svg` and `404.html`.
 * Posts are listed newest first. Files come sorted by path and the same input always gives the
 * same bytes. A post page depends on nothing but its post, so changing one post rewrites only its
 * page, its tags' pages and feeds, the index and the feeds.
 */
export async function buildSite(input: BuildSiteInput): Promise<SiteFile[]> {
  const { publication, templates } = input;
  assertSiteTemplates(templates);
  assertSafeSlugs(input.posts);
  const posts = newestFirst(input.posts);
  const views = new Map(posts.map((post) => [post, postView(publication, post)]));
  const base = basePath(publication);
  const common = { publication, base, feeds: publicationFeedLinks(publication) };
  const files: SiteFile[] = [];
  const html = (path: string, body: string) => files.push({ path, body, contentType: CONTENT_TYPES.html });

  html(
    'index.html',
    await renderTemplate(templates, 'index.liquid', {
      ...common,
      title: publication.title,
      description: publication.description,
      canonicalUrl: publication.url,
      posts: [...views.values()],
      cadences: cadenceOptions(publication),
    }),
  );

  for (const [post, view] of views) {
    html(`posts/${view.slug}/index.html`, await renderPostPage(templates, common, view, post));
  }

  for (const group of groupByTag(publication, posts, views)) {
    const feedUrl = tagFeedUrl(publication, group.view.name);
    const tagFeed: FeedLink = {
      type: 'application/rss+xml',
      title: `${publication.title}: ${group.view.name} (RSS)`,
      url: feedUrl,
    };
    html(
      `tags/${group.view.slug}/index.html`,
      await renderTemplate(templates, 'tag.liquid', {
        ...common,
        feeds: [...common.feeds, tagFeed],
        title: `Posts tagged “${group.view.name}”`,
        description: `Posts tagged “${group.view.name}” in ${publication.title}.`,
        canonicalUrl: group.view.url,
        tag: { ...group.view, feedHref: `${group.view.href}feed.xml` },
        posts: group.posts.map((post) => views.get(post)),
      }),
    );
    files.push({
      path: `tags/${group.view.slug}/feed.xml`,
      body: renderTagFeed(publication, group.view.name, group.posts),
      contentType: CONTENT_TYPES.rss,
    });
  }

  const feeds = renderFeeds(publication, posts);
  files.push({ path: 'feed.xml', body: feeds.rss, contentType: CONTENT_TYPES.rss });
  files.push({ path: 'atom.xml', body: feeds.atom, contentType: CONTENT_TYPES.atom });
  files.push({ path: 'feed.json', body: feeds.json, contentType: CONTENT_TYPES.json });
  files.push({
    path: 'assets/style.css',
    body: templates['style.css'] ?? '',
    contentType: CONTENT_TYPES.css,
  });
  files.push({
    path: 'assets/favicon.svg',
    body: templates['favicon.svg'] ?? '',
    contentType: CONTENT_TYPES.svg,
  });
  html(
    '404.html',
    await renderTemplate(templates, '404.liquid', { ...common, title: 'Page not found', robots: 'noindex' }),
  );

  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function renderPostPage(
  templates: SiteTemplates,
  common: Record<string, unknown>,
  view: PostView,
  post: RenderedPost,
): Promise<string> {
  return renderTemplate(templates, 'post.liquid', {
    ...common,
    title: post.title,
    description: view.summary,
    canonicalUrl: view.url,
    post: view,
  });
}

/** A slug becomes a folder name: nothing that could climb out of `posts/` or hide from a URL. */
const SAFE_SLUG = /^[\p{L}\p{N}][\p{L}\p{N}._~-]*$/u;

function assertSafeSlugs(posts: readonly RenderedPost[]): void {
  const problems = posts
    .filter((post) => !SAFE_SLUG.test(post.slug))
    .map((post) => ({
      file: post.source.file,
      message: `slug ${JSON.stringify(post.slug)} may hold only letters, digits, ".", "_", "~" and "-", and must start with a letter or digit`,
    }));
  if (problems.length > 0) throw new ContentError(problems);
}

/** Tags by page: each tag slug once, named as its newest post spells it. */
function groupByTag(
  publication: Publication,
  posts: readonly RenderedPost[],
  views: Map<RenderedPost, PostView>,
): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const post of posts) {
    for (const tag of views.get(post)?.tags ?? []) {
      let group = groups.get(tag.slug);
      if (!group) {
        group = { view: tagView(publication, tag.name), posts: [] };
        groups.set(tag.slug, group);
      }
      group.posts.push(post);
    }
  }
  return [...groups.values()];
}

interface CadenceOption {
  value: 'immediate' | 'daily' | 'weekly';
  label: string;
  selected: boolean;
}

const WEEKDAY_NAMES: Record<string, string> = {
  monday: 'Mondays',
  tuesday: 'Tuesdays',
  wednesday: 'Wednesdays',
  thursday: 'Thursdays',
  friday: 'Fridays',
  saturday: 'Saturdays',
  sunday: 'Sundays',
};

/** The cadences this publication offers: digests only where a schedule exists. */
export function cadenceOptions(publication: Publication): CadenceOption[] {
  const options: CadenceOption[] = [
    { value: 'immediate', label: 'Every post, as it comes out', selected: false },
  ];
  const { daily, weekly } = publication.schedule;
  if (daily)
    options.push({
      value: 'daily',
      label: `Daily digest, at ${daily.time} (${daily.timeZone})`,
      selected: false,
    });
  if (weekly) {
    const day = WEEKDAY_NAMES[weekly.day] ?? weekly.day;
    options.push({
      value: 'weekly',
      label: `Weekly digest, ${day} at ${weekly.time} (${weekly.timeZone})`,
      selected: false,
    });
  }
  // The least frequent choice is preselected: the gentlest default for an inbox.
  const last = options[options.length - 1];
  if (last) last.selected = true;
  return options;
}
