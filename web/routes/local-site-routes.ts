import type { Context, Hono } from 'hono';
import type { ObjectStore, StoredObject } from '../../core/ports.js';
import type { AppContext } from '../app-context.js';
import { WEB_COPY_CONTENT_SECURITY_POLICY } from '../security-headers.js';

/**
 * Local mode: every other GET (and HEAD) is served from the site bucket, as CloudFront serves it
 * on AWS: `/` → `index.html`, `/posts/x/` → `posts/x/index.html`, `/posts/x` → a redirect to
 * `/posts/x/` when that page exists; the stored Content-Type, ETag and Last-Modified; 304 on
 * If-None-Match (or, without it, If-Modified-Since); `404.html` for what does not exist.
 */
export function registerLocalSiteRoutes(app: Hono, ctx: AppContext, site: ObjectStore): void {
  const prefix = new URL(ctx.deps.publication.url).pathname;
  app.get('*', async (c) => {
    const key = keyOf(c.req.path, prefix);
    if (key === undefined) return notFound(c, site);
    const found = await site.get(key);
    if (found) return serve(c, found, key);
    if (
      !key.endsWith('index.html') &&
      !/\.[A-Za-z0-9]+$/.test(key) &&
      (await site.get(`${key}/index.html`))
    ) {
      const url = new URL(c.req.url);
      return c.redirect(`${url.pathname}/${url.search}`, 301);
    }
    return notFound(c, site);
  });
}

/** The object key for a request path, or undefined when the path leaves the site or is not valid. */
export function keyOf(path: string, prefix = '/'): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith(prefix)) return undefined;
  const rest = decoded.slice(prefix.length);
  if (/[\u0000-\u001f\\]/.test(rest)) return undefined;
  const segments = rest.split('/');
  // An empty segment (`//x`, `/a//b/`) names no object: S3 would look for a key with an empty
  // part, s3rver fails on it, and a redirect built from such a path would be protocol-relative.
  const inner = rest.endsWith('/') ? segments.slice(0, -1) : segments;
  if (rest !== '' && inner.some((s) => s === '' || s === '..' || s === '.')) return undefined;
  return rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest;
}

function cacheControl(key: string, contentType: string): string {
  if (key.startsWith('assets/')) return 'public, max-age=3600';
  if (/xml|json/.test(contentType)) return 'public, max-age=300, must-revalidate';
  return 'public, max-age=0, must-revalidate';
}

/** `editions/<id>/index.html`: the view-in-browser page of an edition. */
const WEB_COPY = /^editions\/[^/]+\/index\.html$/;

function serve(c: Context, object: StoredObject, key: string): Response {
  const headers = {
    'Content-Type': object.contentType,
    ETag: object.etag,
    'Last-Modified': object.lastModified.toUTCString(),
    'Cache-Control': cacheControl(key, object.contentType),
    // Public content, embeddable from anywhere (web feed readers, the sandboxed mail preview), as
    // CloudFront serves it; the app's own pages keep the same-origin policy.
    'Cross-Origin-Resource-Policy': 'cross-origin',
    // An edition's web copy is the mail itself, styled inline: its own policy, still no script.
    ...(WEB_COPY.test(key) ? { 'Content-Security-Policy': WEB_COPY_CONTENT_SECURITY_POLICY } : {}),
  };
  if (notModified(c, object)) return c.body(null, 304, headers);
  return c.body(new Uint8Array(object.body), 200, headers);
}

/** RFC 9110 13.1: If-None-Match wins; weak comparison; If-Modified-Since only without it. */
function notModified(c: Context, object: StoredObject): boolean {
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    const wanted = ifNoneMatch.split(',').map((t) => t.trim());
    const mine = object.etag.replace(/^W\//, '');
    return wanted.some((t) => t === '*' || t.replace(/^W\//, '') === mine);
  }
  const since = c.req.header('if-modified-since');
  if (since === undefined) return false;
  const at = Date.parse(since);
  if (Number.isNaN(at)) return false;
  return Math.floor(object.lastModified.getTime() / 1000) <= Math.floor(at / 1000);
}

async function notFound(c: Context, site: ObjectStore): Promise<Response> {
  const page = await site.get('404.html');
  c.header('Cache-Control', 'no-store');
  if (page) return c.body(new Uint8Array(page.body), 404, { 'Content-Type': page.contentType });
  return c.text('Not found', 404);
}
