import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppContext } from '../../app-context.js';
import type { EditorAuth } from '../../editor/editor-deps.js';
import { html } from '../../html.js';
import { HttpProblemError } from '../../http-problem.js';
import {
  type ConsoleSession,
  CSRF_FIELD,
  crossSiteProblem,
  readSession,
  type SessionKeys,
  setSessionCookie,
} from '../console-session.js';

/** The console's request variables: its session, and a POST's form fields (read once, here). */
export type ConsoleEnv = {
  Variables: { session: ConsoleSession; form: Record<string, string | File | Array<string | File>> };
};

/**
 * Lets a request into the console, or answers it.
 * - Locally (bearer): the session cookie, or `?token=<editor token>` on any console page, which
 *   starts a session and redirects to the same page without the token (so it stays out of the
 *   history). Nothing else: a 401 page says where the sign-in link is.
 * - On AWS (iam): API Gateway has checked the SigV4 signature (made by `gazette console`'s
 *   proxy); the identity in the Lambda event is required as for the API, and a GET that brings no
 *   session gets one, for the CSRF tokens.
 * Then every POST must come from this origin and carry the session's CSRF token.
 */
export function consoleGate(
  ctx: AppContext,
  auth: EditorAuth,
  keys: SessionKeys,
): MiddlewareHandler<ConsoleEnv> {
  const expected = auth.kind === 'bearer' ? digest(auth.token) : undefined;
  return async (c, next) => {
    const now = Math.floor(ctx.deps.clock.now().getTime() / 1000);
    const secure = new URL(c.req.url).protocol === 'https:';
    c.header('Cache-Control', 'no-store');
    let session = readSession(c, keys, now);

    const token = c.req.query('token');
    if (token !== undefined && expected && c.req.method === 'GET') {
      if (!timingSafeEqual(digest(token), expected)) {
        return signInPage(
          c,
          ctx,
          'This sign-in link is not valid (the editor token changes when the state folder is new): use the one `npm start` printed last.',
        );
      }
      const created = keys.create(now);
      setSessionCookie(c, created.cookie, secure);
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      const target = url.pathname === '/editor' ? '/editor/console' : `${url.pathname}${url.search}`;
      return c.redirect(target, 303);
    }

    if (!session) {
      if (auth.kind === 'bearer') {
        if (c.req.method === 'GET') {
          return signInPage(
            c,
            ctx,
            'Sign in with the console link that `npm start` printed, or run `gazette console`.',
          );
        }
        throw new HttpProblemError(403, {
          field: CSRF_FIELD,
          message: 'no console session: open the console link again, then send the form from there',
        });
      }
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        throw new HttpProblemError(403, {
          field: CSRF_FIELD,
          message: 'no console session: reload the console, then send the form from there',
        });
      }
      const created = keys.create(now);
      setSessionCookie(c, created.cookie, secure);
      session = created.session;
    }
    c.set('session', session);

    if (c.req.method === 'POST') {
      const problem = crossSiteProblem(c);
      if (problem)
        throw new HttpProblemError(403, {
          field: 'origin',
          message: `${problem}: forms are only taken from the console itself`,
        });
      let form: Record<string, string | File | Array<string | File>>;
      try {
        form = (await c.req.parseBody({ all: true })) as typeof form;
      } catch {
        throw new HttpProblemError(400, { field: 'body', message: 'malformed form data' });
      }
      if (!keys.checkCsrf(session, form[CSRF_FIELD])) {
        throw new HttpProblemError(403, {
          field: CSRF_FIELD,
          message:
            'the form is out of date or did not come from this console: reload the page and send it again',
        });
      }
      c.set('form', form);
    } else if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      throw new HttpProblemError(400, {
        field: 'method',
        message: `${c.req.method} is not used by the console`,
      });
    }
    return next();
  };
}

async function signInPage(c: Context, ctx: AppContext, message: string): Promise<Response> {
  const body = html`<section aria-labelledby="signin-title">
<h1 id="signin-title">Editors' console</h1>
<p role="alert">${message}</p>
<p>Locally, the link looks like <code>http://127.0.0.1:3000/editor?token=…</code>. On AWS, run <code>gazette console --stage NAME</code>: it signs your requests with your AWS credentials.</p>
</section>
`;
  return ctx.page(c, { title: 'Sign in', body, status: 401, personal: true });
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
