import type { MiddlewareHandler } from 'hono';

/** No script at all, nothing from elsewhere, never framed, forms only to this origin. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/**
 * An edition's web copy (`editions/<id>/index.html`) is the mail itself, styled inline: inline
 * styles and images from anywhere, still no script, no form, never framed. The local server
 * (web/routes/local-site-routes.ts; a test holds the two equal) and CloudFront's `/editions/*`
 * behaviour send it.
 */
export const WEB_COPY_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; font-src https: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** No powerful feature for any page; CloudFront sends the same for the static pages. */
export const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

/**
 * Sets the security headers on every response, errors included. A handler that needs another
 * policy (the outbox's mail preview, framed by the outbox page) sets its own and is left alone.
 * HSTS only over https: on plain http it is ignored by browsers and would only mislead.
 */
export function securityHeaders(options: { https: boolean }): MiddlewareHandler {
  const headers: Array<[string, string]> = [
    ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['Permissions-Policy', PERMISSIONS_POLICY],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['X-Frame-Options', 'DENY'],
  ];
  if (options.https) headers.push(['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']);
  return async (c, next) => {
    await next();
    for (const [name, value] of headers) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  };
}
