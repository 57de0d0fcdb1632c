/**
 * Console sessions and CSRF protection. A browser cannot send the editor API's bearer token or
 * SigV4 signature, so the console keeps its own session: a signed cookie (HttpOnly,
 * SameSite=Strict, path /editor) holding a random session id and its expiry. Every form POST is
 * checked three ways: the cookie is SameSite=Strict (a cross-site POST arrives without it), the
 * request must come from this origin (Origin and Sec-Fetch-Site), and the form must carry the
 * session's CSRF token (an HMAC of the session id, so it needs no storage).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'gazette_console';
/** How long a console session lasts: a working day. */
export const SESSION_SECONDS = 8 * 60 * 60;
/** The form field carrying the CSRF token. */
export const CSRF_FIELD = 'csrf';

export interface ConsoleSession {
  id: string;
  /** Expiry, seconds since the epoch. */
  expires: number;
  /** The token every form of this session carries. */
  csrf: string;
}

/** Signs and checks session cookies and CSRF tokens with a key derived from the app's secret. */
export class SessionKeys {
  private readonly key: Buffer;
  constructor(secret: string) {
    if (secret.length < 16) throw new RangeError('the console session secret must be at least 16 characters');
    // A key of its own, so a console cookie can never be mistaken for anything else the secret signs.
    this.key = createHmac('sha256', secret).update('gazette console session v1').digest();
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  /** A new session from now (seconds since the epoch). */
  create(nowSeconds: number): { session: ConsoleSession; cookie: string } {
    const id = randomBytes(18).toString('base64url');
    const expires = nowSeconds + SESSION_SECONDS;
    const payload = `v1.${id}.${expires}`;
    return { session: this.session(id, expires), cookie: `${payload}.${this.mac(payload)}` };
  }

  /** The session a cookie value holds, when its signature is right and it has not expired. */
  read(cookie: string | undefined, nowSeconds: number): ConsoleSession | undefined {
    if (!cookie || cookie.length > 200) return undefined;
    const match = /^v1\.([A-Za-z0-9_-]{24})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
    if (!match) return undefined;
    const [, id = '', expiresText = '', mac = ''] = match;
    if (!equal(mac, this.mac(`v1.${id}.${expiresText}`))) return undefined;
    const expires = Number(expiresText);
    if (expires <= nowSeconds) return undefined;
    return this.session(id, expires);
  }

  /** True when `token` is the CSRF token of `session`. */
  checkCsrf(session: ConsoleSession, token: unknown): boolean {
    return typeof token === 'string' && equal(token, session.csrf);
  }

  private session(id: string, expires: number): ConsoleSession {
    return { id, expires, csrf: this.mac(`csrf.${id}`) };
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The session of the request, if its cookie holds a valid one. */
export function readSession(c: Context, keys: SessionKeys, nowSeconds: number): ConsoleSession | undefined {
  return keys.read(getCookie(c, SESSION_COOKIE), nowSeconds);
}

/**
 * Sets the session cookie. `Secure` over https; the `gazette console` proxy serves the console on
 * http://127.0.0.1 and drops the attribute there, since a browser would not send it back.
 */
export function setSessionCookie(c: Context, value: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/editor',
    maxAge: SESSION_SECONDS,
  });
}

/**
 * Why a state-changing request does not come from this console's own pages, or undefined when it
 * does: `Sec-Fetch-Site`, when present, must say `same-origin`, and `Origin` must be this origin.
 * Under the app's `Referrer-Policy: no-referrer` a browser sends `Origin: null` with a form, so
 * `null` passes only together with `Sec-Fetch-Site: same-origin` (a sandboxed frame elsewhere also
 * says `null`, but never same-origin). A client that sends neither header (not a browser) still
 * needs the session cookie and the CSRF token.
 */
export function crossSiteProblem(c: Context): string | undefined {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin')
    return `the request came from another site (Sec-Fetch-Site: ${site.slice(0, 20)})`;
  const origin = c.req.header('origin');
  if (origin === 'null')
    return site === 'same-origin' ? undefined : 'the request came from an unknown origin';
  if (origin !== undefined && origin !== new URL(c.req.url).origin) {
    return 'the request came from another origin';
  }
  return undefined;
}
