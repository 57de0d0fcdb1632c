import type { Context } from 'hono';

interface LambdaBindings {
  requestContext?: {
    http?: { sourceIp?: string };
    identity?: { sourceIp?: string };
  };
}
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's IP address, from what the platform vouches for: on AWS the API Gateway event's
 * `requestContext` (HTTP API `http.sourceIp`, REST API `identity.sourceIp`), locally the socket's
 * peer address. `X-Forwarded-For` is never read: any client can write it, so trusting it would let
 * one client pose as many and walk around the per-IP rate limit. Behind a proxy that rewrites the
 * source (a CDN in front of API Gateway), the limit applies to the proxy's addresses instead, which
 * is stricter, never looser. `undefined` when there is no such context (in-process requests).
 */
export function clientAddress(c: Context): string | undefined {
  const env = c.env as (LambdaBindings & NodeBindings) | undefined;
  const lambda = env?.requestContext?.http?.sourceIp ?? env?.requestContext?.identity?.sourceIp;
  if (lambda) return lambda;
  return env?.incoming?.socket?.remoteAddress ?? undefined;
}
