import type { MiddlewareHandler } from 'hono';
import { HttpProblemError } from './http-problem.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Local mode only: answers requests addressed to this machine by a loopback name (or the host of
 * the public base URL), and refuses any other Host with 403. A web page the developer visits can
 * point a name of its own at 127.0.0.1 (DNS rebinding); the browser then sends that name as Host,
 * and without this check the page could read the local outbox, with every link it holds.
 */
export function localHostsOnly(baseUrl: string): MiddlewareHandler {
  const allowed = new Set([...LOOPBACK_NAMES, new URL(baseUrl).hostname]);
  return async (c, next) => {
    // The URL's host is the Host header on a server, and `localhost` for in-process requests.
    const host = new URL(c.req.url).hostname;
    if (allowed.has(host)) return next();
    throw new HttpProblemError(403, {
      field: 'host',
      message: `${JSON.stringify(host.slice(0, 60))} is not this local server; open ${baseUrl}`,
    });
  };
}
