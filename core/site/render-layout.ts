import type { Publication } from '../model.js';
import { basePath, renderTemplate, type SiteTemplates } from './site-templates.js';

/** A `<link rel="alternate">` to a feed. */
export interface FeedLink {
  type: 'application/rss+xml' | 'application/atom+xml' | 'application/feed+json';
  title: string;
  /** Absolute URL. */
  url: string;
}

/** The publication's own three feeds, as every page announces them. */
export function publicationFeedLinks(publication: Publication): FeedLink[] {
  return [
    { type: 'application/rss+xml', title: `${publication.title} (RSS)`, url: `${publication.url}feed.xml` },
    { type: 'application/atom+xml', title: `${publication.title} (Atom)`, url: `${publication.url}atom.xml` },
    {
      type: 'application/feed+json',
      title: `${publication.title} (JSON Feed)`,
      url: `${publication.url}feed.json`,
    },
  ];
}

export interface PageInput {
  publication: Publication;
  /** Plain text; escaped on output. */
  title: string;
  /** Plain text for `<meta name="description">`. */
  description?: string | undefined;
  /** Absolute URL for `<link rel="canonical">`. */
  canonicalUrl?: string | undefined;
  /** Trusted HTML placed inside `<main>` as is: the caller escapes whatever it puts there. */
  bodyHtml: string;
  /** `<meta name="robots">`, e.g. `noindex` for personal pages. */
  robots?: string | undefined;
}

/**
 * Wraps trusted body HTML in the archive's layout (`layout.liquid`): head, header, navigation,
 * footer, stylesheet and feed links. Pages of the web app (subscribe, confirm, preferences,
 * unsubscribe) use it so they look like the archive and obey the same CSP (no inline script or style).
 */
export async function renderPage(templates: SiteTemplates, input: PageInput): Promise<string> {
  return renderTemplate(templates, 'layout.liquid', {
    publication: input.publication,
    base: basePath(input.publication),
    title: input.title,
    description: input.description,
    canonicalUrl: input.canonicalUrl,
    robots: input.robots,
    bodyHtml: input.bodyHtml,
    feeds: publicationFeedLinks(input.publication),
  });
}
