import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { allowMethods } from './allow-methods.js';
import { createAppContext } from './app-context.js';
import { IMPORT_BODY_LIMIT, isImportPath } from './console/import-limits.js';
import { registerConsole } from './console/register-console.js';
import { registerEditorRoutes } from './editor/editor-routes.js';
import { HttpProblemError } from './http-problem.js';
import { localHostsOnly } from './local-hosts-only.js';
import { createErrorHandler } from './on-error.js';
import { errorPage } from './pages/error-page.js';
import { wantsJson } from './read-fields.js';
import { registerConfirmRoutes } from './routes/confirm-routes.js';
import { registerLocalOutboxRoutes } from './routes/local-outbox-routes.js';
import { registerLocalSiteRoutes } from './routes/local-site-routes.js';
import { registerPreferencesRoutes } from './routes/preferences-routes.js';
import { registerSubscribeRoutes } from './routes/subscribe-routes.js';
import { registerUnsubscribeRoutes } from './routes/unsubscribe-routes.js';
import { securityHeaders } from './security-headers.js';
import type { WebDeps } from './web-deps.js';

/**
 * The web app: subscribe, confirm, preferences and unsubscribe pages and their API, the same on
 * Lambda (`handle(app)` from `hono/aws-lambda`) and on the local server (`serve` from
 * `@hono/node-server`). With `deps.local`, it also serves the site from its bucket and the local
 * outbox under `/_local/`. Handlers stay thin (read, call a use case, render); failures become
 * HTTP answers in one place (`onError`).
 */
export function createApp(deps: WebDeps): Hono {
  const ctx = createAppContext(deps);
  const app = new Hono();

  app.use('*', securityHeaders({ https: new URL(deps.baseUrl).protocol === 'https:' }));
  if (deps.local) app.use('*', localHostsOnly(deps.baseUrl));
  app.use(
    '*',
    allowMethods({
      '/subscribe': ['GET', 'POST'],
      '/confirm': ['GET', 'POST'],
      '/preferences': ['GET', 'POST'],
      '/preferences/export': ['POST'],
      '/preferences/delete': ['POST'],
      '/unsubscribe': ['GET', 'POST'],
      ...(deps.local ? { '/_local/outbox': ['GET'], '/_local/outbox.json': ['GET'] } : {}),
    }),
  );
  app.use('*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    // A subscriber CSV is larger than any form; the import routes are behind the editor auth.
    const maxSize = isImportPath(c.req.path) ? IMPORT_BODY_LIMIT : ctx.maxBodyBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new HttpProblemError(413, {
          field: 'body',
          message: `larger than the limit of ${maxSize} bytes`,
        });
      },
    })(c, next);
  });

  registerSubscribeRoutes(app, ctx);
  registerConfirmRoutes(app, ctx);
  registerPreferencesRoutes(app, ctx);
  registerUnsubscribeRoutes(app, ctx);
  if (deps.editor) registerEditorRoutes(app, deps, deps.editor);
  if (deps.editor && deps.console) registerConsole(app, ctx, deps.editor, deps.console);
  if (deps.local) {
    registerLocalOutboxRoutes(app, ctx, deps.local.outbox);
    registerLocalSiteRoutes(app, ctx, deps.local.site);
  }

  app.notFound(async (c) => {
    if (wantsJson(c)) {
      c.header('Cache-Control', 'no-store');
      return c.json({ ok: false, error: `path: ${c.req.path} not found`, field: 'path' }, 404);
    }
    const page = errorPage(404, 'There is no page at this address.', deps.publication.url);
    return ctx.page(c, { ...page, status: 404, personal: true });
  });
  app.onError(createErrorHandler(deps));
  return app;
}
