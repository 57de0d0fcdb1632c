/**
 * The console of a deployed stage, in the editor's browser. On AWS the editor routes sit behind
 * IAM authorization, and a browser cannot sign requests with SigV4; this proxy, on 127.0.0.1,
 * signs each request with the user's AWS credentials and forwards it to the stage. It lets in
 * only its own user: a random key in the URL it prints starts a session (a cookie), and every
 * other request needs that cookie; the Host header must be the proxy's own (DNS rebinding gets
 * nowhere), and a POST must come from the proxy's own origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describeNetworkError } from './editor-client.js';
import type { RequestSigner } from './editor-target.js';

const PROXY_COOKIE = 'gazette_proxy';
/** Largest request body forwarded (an import upload fits). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Request headers passed on; everything else (authorization, cookies of other apps…) stays here. */
const FORWARDED = [
  'accept',
  'accept-language',
  'content-type',
  'if-none-match',
  'if-modified-since',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'user-agent',
];
/** Response headers not passed back: hop-by-hop, or describing a body fetch has already decoded. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'strict-transport-security',
  'set-cookie',
]);

export interface ConsoleProxy {
  /** `http://127.0.0.1:PORT/`. */
  origin: string;
  /** The link that signs the browser in: open it once. */
  signInUrl: string;
  close(): Promise<void>;
}

export interface ConsoleProxyOptions {
  /** The stage's editor API URL, ending with `/`. */
  target: string;
  sign: RequestSigner;
  /** 0 = any free port. */
  port: number;
  fetch?: typeof fetch;
  /** Called once per forwarded request, for the terminal. */
  log?: (line: string) => void;
}

/** Starts the proxy on 127.0.0.1. Throws when the port is taken. */
export async function startConsoleProxy(options: ConsoleProxyOptions): Promise<ConsoleProxy> {
  const key = randomBytes(24).toString('base64url');
  const fetchImpl = options.fetch ?? fetch;
  const target = new URL(options.target);
  let origin = '';
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 502, `the proxy failed: ${(error as Error).message}`);
      else res.end();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    const allowedHosts = [new URL(origin).host, `localhost:${new URL(origin).port}`];
    if (!allowedHosts.includes(host)) return plain(res, 421, 'this proxy answers only at its own address');
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';

    if (url.pathname === '/_proxy/sign-in') {
      if (!equal(url.searchParams.get('key') ?? '', key)) {
        return plain(res, 403, 'this sign-in link is not valid: use the one `gazette console` printed last');
      }
      res.writeHead(303, {
        location: '/editor/console',
        'set-cookie': `${PROXY_COOKIE}=${key}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      });
      return res.end();
    }
    if (!equal(readCookie(req, PROXY_COOKIE) ?? '', key)) {
      return plain(res, 401, 'open the sign-in link `gazette console` printed in your terminal');
    }
    if (method !== 'GET' && method !== 'HEAD') {
      const site = req.headers['sec-fetch-site'];
      const from = req.headers.origin;
      // The app sends Referrer-Policy: no-referrer, under which a browser's form says `Origin: null`.
      const foreign = from === 'null' ? site !== 'same-origin' : from !== undefined && from !== origin;
      if ((site !== undefined && site !== 'same-origin') || foreign) {
        return plain(res, 403, 'forms are only taken from the console itself');
      }
    }
    if (url.pathname === '/' || url.pathname === '/editor' || url.pathname === '/editor/') {
      res.writeHead(303, { location: '/editor/console' });
      return res.end();
    }
    if (!url.pathname.startsWith('/editor/')) return plain(res, 404, 'the proxy forwards /editor/… only');

    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
    if (body === 'too-large')
      return plain(res, 413, `larger than the proxy's limit of ${MAX_BODY_BYTES} bytes`);
    const upstream = new URL(`${url.pathname.slice(1)}${url.search}`, target);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    // The app checks a POST's Origin against its own: the proxy has checked it against its own.
    if (req.headers.origin !== undefined)
      headers.origin = req.headers.origin === 'null' ? 'null' : target.origin;
    const appCookies = otherCookies(req);
    if (appCookies) headers.cookie = appCookies;
    Object.assign(headers, await options.sign({ method, url: upstream, headers: { ...headers }, body }));

    let answer: Response;
    try {
      answer = await fetchImpl(upstream, {
        method,
        headers,
        body: body === undefined ? undefined : new Blob([body as Uint8Array<ArrayBuffer>]),
        redirect: 'manual',
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      return plain(res, 502, `the stage did not answer (${describeNetworkError(error)})`);
    }
    options.log?.(`${method} ${url.pathname} → ${answer.status}`);
    const out: Record<string, string | string[]> = {};
    answer.headers.forEach((value, name) => {
      if (DROPPED.has(name)) return;
      out[name] = name === 'location' ? localLocation(value, target, origin) : value;
    });
    const cookies = answer.headers.getSetCookie().map(localCookie);
    if (cookies.length > 0) out['set-cookie'] = cookies;
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin: `${origin}/`,
    signInUrl: `${origin}/_proxy/sign-in?key=${key}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${message}\n`);
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookiePairs(req: IncomingMessage): Array<[string, string]> {
  return (req.headers.cookie ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.includes('='))
    .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string]);
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  return cookiePairs(req).find(([n]) => n === name)?.[1];
}

/** The app's own cookies (its console session), without the proxy's key. */
function otherCookies(req: IncomingMessage): string {
  return cookiePairs(req)
    .filter(([n]) => n !== PROXY_COOKIE)
    .map(([n, v]) => `${n}=${v}`)
    .join('; ');
}

/** The stage sets its cookies for https on its own host; the browser talks to http://127.0.0.1. */
function localCookie(cookie: string): string {
  return cookie
    .split(';')
    .map((p) => p.trim())
    .filter((p) => !/^secure$/i.test(p) && !/^domain=/i.test(p))
    .join('; ');
}

function localLocation(location: string, target: URL, origin: string): string {
  const url = new URL(location, target);
  return url.origin === target.origin ? `${origin}${url.pathname}${url.search}` : location;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
