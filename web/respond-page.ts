import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Publication } from '../core/model.js';
import { renderPage } from '../core/site/render-layout.js';
import type { SiteTemplates } from '../core/site/site-templates.js';
import type { SafeHtml } from './html.js';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  status?: ContentfulStatusCode | undefined;
  description?: string | undefined;
  /** Absolute URL for `<link rel="canonical">` of public pages. */
  canonicalUrl?: string | undefined;
  /** Pages reached through a personal link are neither indexed nor cached. */
  personal?: boolean | undefined;
}

/** Renders a page of the app in the archive's layout and answers it. */
export async function respondPage(
  c: Context,
  site: { publication: Publication; siteTemplates: SiteTemplates },
  options: PageOptions,
): Promise<Response> {
  const markup = await renderPage(site.siteTemplates, {
    publication: site.publication,
    title: options.title,
    description: options.description,
    canonicalUrl: options.canonicalUrl,
    bodyHtml: options.body.value,
    robots: options.personal ? 'noindex, nofollow' : undefined,
  });
  c.header('Cache-Control', 'no-store');
  return c.html(markup, options.status ?? 200);
}
