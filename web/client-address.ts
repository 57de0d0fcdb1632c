import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context } from 'hono';

/** The header CloudFront adds to every request it forwards to the API, holding a secret value. */
export const ORIGIN_VERIFY_HEADER = 'X-Gazette-Origin-Verify';
/** CloudFront's header with the viewer's address and port: `198.51.100.10:46532`, `2001:db8::1:46532`. */
export const VIEWER_ADDRESS_HEADER = 'CloudFront-Viewer-Address';

interface LambdaBindings {
  requestContext?: {
    http?: { sourceIp?: string };
    identity?: { sourceIp?: string };
  };
}
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export interface ClientAddressOptions {
  /**
   * The value CloudFront sends in {@link ORIGIN_VERIFY_HEADER}. Only a request carrying exactly
   * this value came through CloudFront, and only then is {@link VIEWER_ADDRESS_HEADER} believed.
   */
  originVerify?: string | undefined;
}

/**
 * The client's IP address, from what the platform vouches for: on AWS the API Gateway event's
 * `requestContext` (HTTP API `http.sourceIp`, REST API `identity.sourceIp`), locally the socket's
 * peer address. `X-Forwarded-For` is never read: any client can write it, so trusting it would let
 * one client pose as many and walk around the per-IP rate limit.
 *
 * Behind CloudFront the source is an edge server, so the limit would count per edge location.
 * CloudFront therefore sends the reader's address in `CloudFront-Viewer-Address`, together with a
 * secret value in `X-Gazette-Origin-Verify` (it overwrites a header of that name sent by the
 * reader). When `originVerify` is configured and the request carries that value (compared in
 * constant time), the viewer address is taken; a request straight to the API cannot know the
 * value, so it is counted by its real source as before. A viewer address that does not parse
 * as one IP address and port is ignored the same way: stricter, never looser. `undefined` when
 * there is no such context (in-process requests).
 */
export function clientAddress(c: Context, options: ClientAddressOptions = {}): string | undefined {
  if (options.originVerify && sameSecret(c.req.header(ORIGIN_VERIFY_HEADER), options.originVerify)) {
    const viewer = viewerAddressOf(c.req.header(VIEWER_ADDRESS_HEADER));
    if (viewer) return viewer;
  }
  const env = c.env as (LambdaBindings & NodeBindings) | undefined;
  const lambda = env?.requestContext?.http?.sourceIp ?? env?.requestContext?.identity?.sourceIp;
  if (lambda) return lambda;
  return env?.incoming?.socket?.remoteAddress ?? undefined;
}

/** The address of a `CloudFront-Viewer-Address` value (`ip:port`, IPv6 unbracketed), if it is one. */
export function viewerAddressOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const at = value.lastIndexOf(':');
  if (at <= 0) return undefined;
  const ip = value.slice(0, at);
  const port = value.slice(at + 1);
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) return undefined;
  return isIP(ip) === 0 ? undefined : ip;
}

/** Equal values, compared without leaking through timing how much of a guess was right (or its length). */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
