import type { MiddlewareHandler } from 'hono';
import { HttpProblemError } from './http-problem.js';

/** The methods a route answers; HEAD comes with GET. */
export type RouteMethod = 'GET' | 'POST';

/**
 * For the app's own paths: a method the path does not have gets 405 with `Allow` (RFC 9110 15.5.6),
 * and OPTIONS gets 204 with `Allow` and nothing else (no CORS: the JSON API is for same-origin
 * pages and servers). Runs before the body is read, and before the local site's catch-all could
 * answer a GET to a POST-only route with "there is no such page".
 */
export function allowMethods(routes: Record<string, readonly RouteMethod[]>): MiddlewareHandler {
  const allowed = new Map(
    Object.entries(routes).map(([path, methods]) => [
      path,
      methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])),
    ]),
  );
  return async (c, next) => {
    const methods = allowed.get(c.req.path);
    if (!methods || methods.includes(c.req.method)) return next();
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, { Allow: [...methods, 'OPTIONS'].join(', '), 'Cache-Control': 'no-store' });
    }
    const use = methods.length === 1 ? methods[0] : `${methods.slice(0, -1).join(', ')} or ${methods.at(-1)}`;
    throw new HttpProblemError(
      405,
      { field: 'method', message: `${c.req.method.slice(0, 20)} is not allowed here; use ${use}` },
      { Allow: methods.join(', ') },
    );
  };
}
