import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsoleProxy, startConsoleProxy } from '../../../../cli/remote/console-proxy.js';
import { type StandIn, startStandIn } from './http-stand-in.js';

let upstream: StandIn | undefined;
let proxy: ConsoleProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
  proxy = undefined;
  upstream = undefined;
});

/** A raw request, so that Host and Origin are exactly what a browser (or an attacker) would send. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function start() {
  upstream = await startStandIn((req) => {
    if (req.url.startsWith('/editor/console/here')) {
      return {
        status: 303,
        body: '',
        headers: {
          location: `${upstream?.url}editor/console/there`,
          'set-cookie':
            'gazette_console=abc; Path=/editor; HttpOnly; SameSite=Strict; Secure; Domain=stage.example',
          'strict-transport-security': 'max-age=63072000',
        },
      };
    }
    return { status: 200, body: `upstream saw ${req.method} ${req.url}` };
  });
  proxy = await startConsoleProxy({
    target: upstream.url,
    port: 0,
    sign: async ({ method, url, body }) => ({
      authorization: `Signed ${method} ${url.pathname}${url.search} ${body?.length ?? 0}`,
    }),
  });
  const signIn = await send(proxy.signInUrl);
  const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
  return { proxy, upstream, signIn, cookie };
}

describe('gazette console proxy', () => {
  it('signs in only with its key, then signs and forwards /editor/ requests', async () => {
    const { proxy, upstream, signIn, cookie } = await start();
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/editor/console');
    expect(String(signIn.headers['set-cookie'])).toMatch(
      /^gazette_proxy=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/,
    );

    expect((await send(`${proxy.origin}_proxy/sign-in?key=wrong`)).status).toBe(403);
    expect((await send(`${proxy.origin}editor/console`)).status).toBe(401);
    expect(
      (await send(`${proxy.origin}editor/console`, { headers: { cookie: 'gazette_proxy=guess' } })).status,
    ).toBe(401);
    expect(upstream.requests).toEqual([]);

    const page = await send(`${proxy.origin}editor/console/posts?x=1`, {
      headers: { cookie: `${cookie}; gazette_console=session`, authorization: 'Bearer stolen?' },
    });
    expect(page.status).toBe(200);
    expect(page.body).toBe('upstream saw GET /editor/console/posts?x=1');
    const seen = upstream.requests[0];
    expect(seen?.headers.authorization).toBe('Signed GET /editor/console/posts?x=1 0');
    // The app's own cookie goes on; the proxy's key never leaves the machine.
    expect(seen?.headers.cookie).toBe('gazette_console=session');
  });

  it('refuses other Host names (DNS rebinding), other origins, and paths outside /editor/', async () => {
    const { proxy, upstream, cookie } = await start();
    const port = new URL(proxy.origin).port;
    const rebinding = await send(`${proxy.origin}editor/console`, {
      headers: { host: `evil.example:${port}`, cookie },
    });
    expect(rebinding.status).toBe(421);
    const crossSite = await send(`${proxy.origin}editor/console/subscribers/import`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'csrf=x',
    });
    expect(crossSite.status).toBe(403);
    const crossFetch = await send(`${proxy.origin}editor/console/subscribers/import`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
      body: 'csrf=x',
    });
    expect(crossFetch.status).toBe(403);
    const opaque = await send(`${proxy.origin}editor/console/subscribers/import`, {
      method: 'POST',
      headers: { cookie, origin: 'null' },
      body: 'csrf=x',
    });
    expect(opaque.status).toBe(403);
    expect((await send(`${proxy.origin}etc/passwd`, { headers: { cookie } })).status).toBe(404);
    expect(upstream.requests).toEqual([]);
    const root = await send(proxy.origin, { headers: { cookie } });
    expect(root.status).toBe(303);
    expect(root.headers.location).toBe('/editor/console');
  });

  it("forwards a same-origin POST with its body and the stage's origin, and fits the answer to http://127.0.0.1", async () => {
    const { proxy, upstream, cookie } = await start();
    const origin = proxy.origin.slice(0, -1);
    const post = await send(`${proxy.origin}editor/console/editions/send`, {
      method: 'POST',
      headers: {
        cookie,
        origin,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'csrf=t&cadence=weekly',
    });
    expect(post.body).toBe('upstream saw POST /editor/console/editions/send');
    const seen = upstream.requests[0];
    expect(seen?.body.toString()).toBe('csrf=t&cadence=weekly');
    expect(seen?.headers.origin).toBe(new URL(upstream.url).origin);
    expect(seen?.headers.authorization).toBe('Signed POST /editor/console/editions/send 21');

    const redirect = await send(`${proxy.origin}editor/console/here`, { headers: { cookie } });
    expect(redirect.headers.location).toBe(`${origin}/editor/console/there`);
    expect(redirect.headers['set-cookie']).toEqual([
      'gazette_console=abc; Path=/editor; HttpOnly; SameSite=Strict',
    ]);
    expect(redirect.headers['strict-transport-security']).toBeUndefined();
  });
});
