import { Hono } from 'hono';
import type { EditionRequest } from '../../../core/editions/create-edition.js';
import { countSubscribers } from '../../../core/subscribers-admin/count-subscribers.js';
import { searchSubscribers } from '../../../core/subscribers-admin/search-subscribers.js';
import type { AppContext } from '../../app-context.js';
import { editorAuth } from '../../editor/editor-auth.js';
import type { EditorDeps } from '../../editor/editor-deps.js';
import { editionRequestFromBody } from '../../editor/read-editor-input.js';
import { badRequest, HttpProblemError } from '../../http-problem.js';
import { createErrorHandler } from '../../on-error.js';
import { mediaType, readFields } from '../../read-fields.js';
import type { ConsoleDeps } from '../console-deps.js';
import { PREVIEW_REFUSALS } from '../pages/preview-page.js';
import { sendPreviewTest } from '../send-preview-test.js';
import { exportResponse } from './export-response.js';
import { runImport } from './run-import.js';

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv'];

/**
 * The subscriber admin API the CLI calls, under `/editor/api`, behind the editor API's own auth
 * (bearer token locally, IAM on AWS); JSON in and out, but for CSV:
 * - `GET /editor/api/subscribers/count`: counts by status and cadence;
 * - `GET /editor/api/subscribers?q=`: find by address (whole, or a part of at least 3 characters);
 * - `GET /editor/api/subscribers/export`: every subscriber as CSV;
 * - `POST /editor/api/subscribers/import[?consented=1][&lineOffset=N]`: a CSV body; the report
 *   of every row (added, skipped, rejected with line and reason);
 * - `GET /editor/api/suppressions`: the suppression list (address hashes, reasons);
 * - `POST /editor/api/editions/test` `{ "cadence" | "post", "to": [...] }`: a test send of what
 *   "send now" would send, before it is sent (an edition that exists is tested as made).
 */
export function registerSubscriberApiRoutes(
  app: Hono,
  ctx: AppContext,
  editor: EditorDeps,
  consoleDeps: ConsoleDeps,
): void {
  const api = new Hono();
  api.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  api.use('*', editorAuth(editor.auth));

  api.get('/subscribers/count', async (c) => c.json(await countSubscribers(ctx.deps.store)));

  api.get('/subscribers', async (c) => {
    const q = c.req.query('q');
    if (q === undefined || q.trim() === '') throw badRequest('q', 'give an address, or a part of one');
    const result = await searchSubscribers(
      { store: ctx.deps.store, directory: consoleDeps.directory, suppressions: ctx.deps.suppressions },
      q,
    );
    if (!result.ok) throw badRequest('q', result.problem.replace(/^q: /, ''));
    return c.json(result);
  });

  api.get('/subscribers/export', (c) => exportResponse(c, ctx, consoleDeps.directory));

  api.post('/subscribers/import', async (c) => {
    const type = mediaType(c);
    if (!CSV_TYPES.includes(type)) {
      throw new HttpProblemError(415, {
        field: 'body',
        message: `send the CSV file as text/csv, not ${JSON.stringify(type.slice(0, 60) || 'nothing')}`,
      });
    }
    const consented = flag(c.req.query('consented'), 'consented');
    const offsetText = c.req.query('lineOffset') ?? '0';
    if (!/^\d{1,9}$/.test(offsetText)) throw badRequest('lineOffset', 'must be a whole number ≥ 0');
    const outcome = await runImport(ctx, new Uint8Array(await c.req.arrayBuffer()), {
      consented,
      lineOffset: Number(offsetText),
    });
    if (!outcome.ok) throw new HttpProblemError(outcome.status, { field: 'body', message: outcome.problem });
    return c.json({
      ok: true,
      consented,
      header: outcome.header,
      ignoredColumns: outcome.ignoredColumns,
      ...outcome.report,
    });
  });

  api.get('/suppressions', async (c) => {
    const list = await ctx.deps.suppressions.list();
    list.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return c.json({ suppressions: list });
  });

  api.post('/editions/test', async (c) => {
    const { fields } = await readFields(c, ['json']);
    const { to, ...rest } = fields;
    if (!Array.isArray(to))
      throw badRequest('to', 'must be a list of addresses, e.g. ["editor@example.com"]');
    const request: EditionRequest = editionRequestFromBody(rest);
    const result = await sendPreviewTest(
      {
        services: editor.services,
        mailer: ctx.deps.mailer,
        publication: ctx.deps.publication,
        clock: ctx.deps.clock,
        logger: ctx.deps.logger,
      },
      request,
      to,
    );
    if (!result.ok) {
      if (result.reason === 'invalid-recipients') throw badRequest('to', result.problems.join('; '));
      return c.json(
        {
          ok: false,
          reason: result.reason,
          field: 'post' in request ? 'post' : 'cadence',
          error: PREVIEW_REFUSALS[result.reason] ?? result.reason,
        },
        422,
      );
    }
    return c.json(result, result.sent.length === 0 ? 502 : 200);
  });

  api.all('*', (c) => {
    throw new HttpProblemError(404, {
      field: 'path',
      message: `${c.req.method} ${c.req.path} is not an editor route`,
    });
  });
  api.onError(createErrorHandler(ctx.deps, { alwaysJson: true }));
  app.route('/editor/api', api);
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true' || value === 'yes') return true;
  throw badRequest(name, 'must be 1 or 0');
}
