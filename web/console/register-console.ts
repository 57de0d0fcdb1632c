import { Hono } from 'hono';
import type { AppContext } from '../app-context.js';
import { editorAuth } from '../editor/editor-auth.js';
import type { EditorDeps } from '../editor/editor-deps.js';
import { registerSubscriberApiRoutes } from './api/subscriber-api-routes.js';
import { CONSOLE_CSS, CONSOLE_JS } from './console-assets.js';
import type { ConsoleDeps } from './console-deps.js';
import { SessionKeys } from './console-session.js';
import { consoleFrame } from './pages/console-frame.js';
import { postsPage } from './pages/posts-page.js';
import { registerConsoleEditionRoutes } from './routes/console-edition-routes.js';
import { type ConsoleEnv, consoleGate } from './routes/console-gate.js';
import { registerConsoleSubscriberRoutes } from './routes/console-subscriber-routes.js';

/**
 * The editors' console under `/editor/console` (server-rendered pages in the archive's layout),
 * `/editor` (sign-in with `?token=`, then the console) and the subscriber admin API under
 * `/editor/api`. Served only when the app has editor deps (the editor API's auth and use cases)
 * and console deps.
 */
export function registerConsole(
  app: Hono,
  ctx: AppContext,
  editor: EditorDeps,
  consoleDeps: ConsoleDeps,
): void {
  const keys = new SessionKeys(consoleDeps.sessionSecret);
  const gate = consoleGate(ctx, editor.auth, keys);
  const iamCheck = editor.auth.kind === 'iam' ? editorAuth(editor.auth) : undefined;

  // The assets hold nothing private, and the sign-in page needs its style before any session;
  // registered before the pages, so the pages' gate never runs for them.
  const assets = new Hono();
  const asset = (body: string, type: string) => () =>
    new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' } });
  assets.get('/console.css', asset(CONSOLE_CSS, 'text/css; charset=utf-8'));
  assets.get('/console.js', asset(CONSOLE_JS, 'text/javascript; charset=utf-8'));
  app.route('/editor/console/assets', assets);

  // `/editor` itself: registered on the app, as a sub-app mounted there would put its
  // middleware in front of the editor API's routes too.
  const signIn = new Hono<ConsoleEnv>();
  if (iamCheck) signIn.use('/editor', iamCheck);
  signIn.use('/editor', gate);
  signIn.get('/editor', (c) => c.redirect(ctx.path('editor/console'), 303));
  app.route('/', signIn as unknown as Hono);

  const pages = new Hono<ConsoleEnv>();
  if (iamCheck) pages.use('*', iamCheck);
  pages.use('*', gate);
  pages.get('/posts', async (c) =>
    ctx.page(c, {
      title: 'Posts',
      body: consoleFrame({
        path: ctx.path,
        section: 'posts',
        content: postsPage({
          publication: ctx.deps.publication,
          posts: await consoleDeps.posts(),
          now: ctx.deps.clock.now(),
          path: ctx.path,
        }),
      }),
      personal: true,
    }),
  );
  registerConsoleEditionRoutes(pages, ctx, editor, consoleDeps);
  registerConsoleSubscriberRoutes(pages, ctx, consoleDeps);
  app.route('/editor/console', pages);

  registerSubscriberApiRoutes(app, ctx, editor, consoleDeps);
}
