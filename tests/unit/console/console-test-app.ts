/** The web app with the editor API and the console on in-memory ports (see tests/support/web-test-app.ts). */
import type { Post } from '../../../core/model.js';
import type { EditorAuth } from '../../../web/editor/editor-deps.js';
import { writtenPost } from '../../support/fixtures.js';
import { createTestApp, EDITOR_TOKEN, ORIGIN } from '../../support/web-test-app.js';

export { EDITOR_TOKEN, ORIGIN };

/** Friday 27 November 2026, 10:00 UTC: a published post, one more, one scheduled and a draft. */
export function createConsoleTestApp(
  options: { posts?: Post[]; now?: string; auth?: EditorAuth; baseUrl?: string } = {},
) {
  return createTestApp({
    now: options.now ?? '2026-11-27T10:00:00Z',
    baseUrl: options.baseUrl,
    editor: options.auth,
    console: true,
    posts: options.posts ?? [
      writtenPost('first-post', '2026-11-24T08:00:00Z', { tags: ['europe', 'trade'] }),
      writtenPost('second-post', '2026-11-26T08:00:00Z', { tags: ['security'] }),
      writtenPost('in-the-future', '2026-12-24T08:00:00Z'),
      writtenPost('a-draft', '2026-11-20T08:00:00Z', { draft: true }),
    ],
  });
}

export type ConsoleTestApp = ReturnType<typeof createConsoleTestApp>;

/** Signs in with the editor token: the session cookie and the page's CSRF token. */
export async function signIn(t: ConsoleTestApp): Promise<{ cookie: string; csrf: string }> {
  const res = await t.app.request(`${ORIGIN}/editor?token=${EDITOR_TOKEN}`);
  const set = res.headers.get('set-cookie') ?? '';
  const cookie = set.split(';')[0] ?? '';
  if (!cookie.startsWith('gazette_console=')) throw new Error(`no session cookie: ${set}`);
  const page = await t.app.request(`${ORIGIN}/editor/console/subscribers`, { headers: { cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on the page');
  return { cookie, csrf };
}

/** A same-origin form POST as a browser sends it. */
export function formPost(
  session: { cookie: string },
  fields: Record<string, string> | FormData,
  headers: Record<string, string> = {},
): RequestInit {
  const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
  return {
    method: 'POST',
    body,
    headers: {
      cookie: session.cookie,
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      ...(fields instanceof FormData ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      ...headers,
    },
  };
}
