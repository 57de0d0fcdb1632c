import type { Publication } from '../model.js';
import { toHeaderText } from './header-text.js';

/**
 * The `List-Id` value (RFC 2919) for a publication: `"Gazette Dispatch" <gazette-dispatch.news.example.com>`.
 * The label is the title as a slug; the namespace is the publication's host, or `localhost`
 * (RFC 2919's namespace for unregistered lists) when the host is an IP address or has no dot.
 */
export function listIdFor(publication: Pick<Publication, 'title' | 'url'>): string {
  const title = toHeaderText(publication.title);
  const label =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'newsletter';
  let host = 'localhost';
  try {
    const hostname = new URL(publication.url).hostname;
    if (hostname.includes('.') && !/^[0-9.]+$/.test(hostname) && !hostname.startsWith('[')) host = hostname;
  } catch {
    // An unparseable URL was rejected when the publication was loaded; localhost keeps the header valid.
  }
  return `"${title.replace(/["\\]/g, '\\$&')}" <${label}.${host}>`;
}
