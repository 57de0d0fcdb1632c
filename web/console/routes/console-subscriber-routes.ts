import type { Context, Hono } from 'hono';
import { countSubscribers } from '../../../core/subscribers-admin/count-subscribers.js';
import { searchSubscribers } from '../../../core/subscribers-admin/search-subscribers.js';
import type { AppContext } from '../../app-context.js';
import type { SafeHtml } from '../../html.js';
import { badRequest } from '../../http-problem.js';
import { exportResponse } from '../api/export-response.js';
import { runImport } from '../api/run-import.js';
import type { ConsoleDeps } from '../console-deps.js';
import { consoleFrame, notice } from '../pages/console-frame.js';
import { importResultPage, subscribersPage } from '../pages/subscribers-page.js';
import type { ConsoleEnv } from './console-gate.js';

/** The Subscribers part of the console: counts, search, suppressions, import (upload) and export. */
export function registerConsoleSubscriberRoutes(
  app: Hono<ConsoleEnv>,
  ctx: AppContext,
  consoleDeps: ConsoleDeps,
): void {
  const path = ctx.path;
  const page = (c: Context<ConsoleEnv>, title: string, content: SafeHtml, status: 200 | 400 | 413 = 200) =>
    ctx.page(c, {
      title,
      body: consoleFrame({ path, section: 'subscribers', content }),
      status,
      personal: true,
    });

  const overview = async (c: Context<ConsoleEnv>, note?: SafeHtml, status: 200 | 400 | 413 = 200) => {
    const q = c.req.query('q');
    const [counts, suppressions, search] = await Promise.all([
      countSubscribers(ctx.deps.store),
      ctx.deps.suppressions.list(),
      q === undefined || q === ''
        ? undefined
        : searchSubscribers(
            { store: ctx.deps.store, directory: consoleDeps.directory, suppressions: ctx.deps.suppressions },
            q,
          ),
    ]);
    return page(
      c,
      'Subscribers',
      subscribersPage({
        path,
        counts,
        query: q,
        search,
        suppressions,
        csrf: c.get('session').csrf,
        notice: note,
      }),
      status,
    );
  };

  app.get('/subscribers', (c) => overview(c));

  app.get('/subscribers/export.csv', (c) => exportResponse(c, ctx, consoleDeps.directory));

  app.post('/subscribers/import', async (c) => {
    const form = c.get('form');
    const file = form.file;
    if (!(file instanceof File)) throw badRequest('file', 'choose a CSV file to import');
    const consented = form.consented === 'yes';
    const outcome = await runImport(ctx, await file.arrayBuffer(), { consented, lineOffset: 0 });
    if (!outcome.ok)
      return overview(c, notice('problem', `Nothing was imported: ${outcome.problem}.`), outcome.status);
    return page(
      c,
      'Import',
      importResultPage({ path, report: outcome.report, consented, ignoredColumns: outcome.ignoredColumns }),
    );
  });
}
