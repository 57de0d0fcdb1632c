import type { Context, Hono } from 'hono';
import { isDue } from '../../../core/content/select-published.js';
import type { EditionRequest } from '../../../core/editions/create-edition.js';
import { EditionRequestError } from '../../../core/editions/edition-errors.js';
import { DIGEST_CADENCES } from '../../../core/model.js';
import { countSubscribers } from '../../../core/subscribers-admin/count-subscribers.js';
import type { AppContext } from '../../app-context.js';
import type { EditorDeps } from '../../editor/editor-deps.js';
import { editionIdParam, editionRequestFromBody } from '../../editor/read-editor-input.js';
import { html, type SafeHtml } from '../../html.js';
import { badRequest, HttpProblemError } from '../../http-problem.js';
import type { ConsoleDeps } from '../console-deps.js';
import { consoleFrame, notice } from '../pages/console-frame.js';
import { editionsPage, type ListedEdition } from '../pages/editions-page.js';
import { PREVIEW_REFUSALS, previewPage } from '../pages/preview-page.js';
import { progressPage } from '../pages/progress-page.js';
import { type PreviewTestResult, sendPreviewTest } from '../send-preview-test.js';
import type { ConsoleEnv } from './console-gate.js';

/** Editions listed on the console's home. */
const LISTED_EDITIONS = 20;

/**
 * The Editions part of the console: the home page (preview links, the newest editions), a
 * preview with its frames, test send and send now, and each edition's progress with pause and
 * resume. Every action goes through the same use cases as the editor API.
 */
export function registerConsoleEditionRoutes(
  app: Hono<ConsoleEnv>,
  ctx: AppContext,
  editor: EditorDeps,
  consoleDeps: ConsoleDeps,
): void {
  const { services } = editor;
  const path = ctx.path;
  const page = (
    c: Context<ConsoleEnv>,
    title: string,
    content: SafeHtml,
    status: 200 | 400 | 404 | 409 | 422 = 200,
  ) =>
    ctx.page(c, {
      title,
      body: consoleFrame({ path, section: 'editions', content }),
      status,
      personal: true,
    });
  const previewPolicy = mailPreviewPolicy(ctx.deps.publication.url);

  const home = async (c: Context<ConsoleEnv>, note?: SafeHtml) => {
    const now = ctx.deps.clock.now();
    const [editions, posts] = await Promise.all([
      services.listEditions(LISTED_EDITIONS),
      Promise.resolve(consoleDeps.posts()),
    ]);
    const published = posts
      .filter((p) => isDue(p, now))
      .sort((a, b) => b.date.getTime() - a.date.getTime())
      .slice(0, 50);
    return page(
      c,
      'Editions',
      editionsPage({
        path,
        digestCadences: ctx.cadences.filter((c) => DIGEST_CADENCES.includes(c as never)),
        publishedPosts: published,
        editions: editions as readonly ListedEdition[],
        notice: note,
      }),
    );
  };
  app.get('/', (c) => home(c));

  const showPreview = async (c: Context<ConsoleEnv>, request: EditionRequest, note?: SafeHtml) => {
    const preview = await services.preview(request);
    const counts = preview.ok ? await countSubscribers(ctx.deps.store) : undefined;
    const cadence = 'post' in request ? 'immediate' : request.cadence;
    return page(
      c,
      preview.ok ? `Preview: ${preview.subject}` : 'Preview',
      previewPage({
        path,
        request,
        preview,
        audience: counts?.byStatus.active.byCadence[cadence],
        csrf: c.get('session').csrf,
        notice: note,
      }),
      preview.ok ? 200 : 422,
    );
  };

  app.get('/editions/preview', async (c) => showPreview(c, requestFromQuery(c)));

  app.get('/editions/preview.html', async (c) => {
    const preview = await services.preview(requestFromQuery(c));
    if (!preview.ok) {
      return c.text(PREVIEW_REFUSALS[preview.reason] ?? preview.reason, 422, {
        'Content-Security-Policy': previewPolicy,
      });
    }
    return c.body(preview.html, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': previewPolicy,
      'X-Frame-Options': 'SAMEORIGIN',
    });
  });

  app.post('/editions/test', async (c) => {
    const request = requestFromForm(c.get('form'));
    const result = await sendPreviewTest(
      {
        services,
        mailer: ctx.deps.mailer,
        publication: ctx.deps.publication,
        clock: ctx.deps.clock,
        logger: ctx.deps.logger,
      },
      request,
      addressesFromForm(c.get('form')),
    );
    return showPreview(c, request, testNotice(result));
  });

  app.post('/editions/send', async (c) => {
    const form = c.get('form');
    const request = requestFromForm(form);
    if (form.confirm !== 'yes') {
      return showPreview(c, request, notice('problem', 'Tick the box to confirm, then press Send now.'));
    }
    const result = await services.createEdition(request);
    if (!result.ok) {
      return showPreview(c, request, notice('problem', PREVIEW_REFUSALS[result.reason] ?? result.reason));
    }
    const id = encodeURIComponent(result.edition.id);
    return c.redirect(
      path(`editor/console/editions/${id}?started=${result.created ? 'new' : 'existing'}`),
      303,
    );
  });

  app.get('/editions/:id/progress.json', async (c) => {
    const progress = await services.progress(editionIdParam(c));
    if (!progress) throw noEdition();
    return c.json(progress);
  });

  const showProgress = async (
    c: Context<ConsoleEnv>,
    id: string,
    note?: SafeHtml,
    status: 200 | 409 = 200,
  ) => {
    const progress = await services.progress(id);
    if (!progress) throw noEdition();
    const listed = (await services.listEditions(LISTED_EDITIONS)).find((e) => e.id === id) as
      | ListedEdition
      | undefined;
    return page(
      c,
      `Edition ${id}`,
      progressPage({ path, progress, listing: listed, csrf: c.get('session').csrf, notice: note }),
      status,
    );
  };

  app.get('/editions/:id', async (c) => {
    const id = editionIdParam(c);
    const started = c.req.query('started');
    const done = c.req.query('done');
    // Fixed notices after a redirect: nothing from the query string is shown.
    const note =
      started === 'new'
        ? notice('info', 'The edition was created and is on its way.')
        : started === 'existing'
          ? notice('info', 'This edition existed already: nothing is sent twice. Its progress is below.')
          : done === 'paused'
            ? notice('info', 'Paused.')
            : done === 'resumed'
              ? notice('info', 'Resumed.')
              : undefined;
    return showProgress(c, id, note);
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/editions/:id/${action}`, async (c) => {
      const id = editionIdParam(c);
      const result = await services[action](id);
      if (!result.ok) {
        if (result.reason === 'missing') throw noEdition();
        return showProgress(
          c,
          id,
          notice('problem', 'The edition is done: every delivery has an outcome.'),
          409,
        );
      }
      return c.redirect(
        path(
          `editor/console/editions/${encodeURIComponent(id)}?done=${action === 'pause' ? 'paused' : 'resumed'}`,
        ),
        303,
      );
    });
  }

  app.post('/editions/:id/test', async (c) => {
    const id = editionIdParam(c);
    const result = await services.sendTest({ editionId: id, to: addressesFromForm(c.get('form')) });
    if (!result.ok && result.reason === 'missing') throw noEdition();
    return showProgress(c, id, testNotice(result));
  });
}

function noEdition(): HttpProblemError {
  return new HttpProblemError(404, { field: 'id', message: 'there is no edition with this id' });
}

/** `?cadence=` or `?post=` of a console preview. */
function requestFromQuery(c: Context): EditionRequest {
  return editionRequest({ cadence: c.req.query('cadence'), post: c.req.query('post') });
}

/** The hidden `cadence` or `post` field of a console form. */
function requestFromForm(form: Record<string, unknown>): EditionRequest {
  return editionRequest({ cadence: form.cadence, post: form.post });
}

function editionRequest(fields: { cadence: unknown; post: unknown }): EditionRequest {
  const picked: Record<string, unknown> = {};
  if (fields.cadence !== undefined && fields.cadence !== '') picked.cadence = fields.cadence;
  if (fields.post !== undefined && fields.post !== '') picked.post = fields.post;
  try {
    return editionRequestFromBody(picked);
  } catch (error) {
    if (error instanceof EditionRequestError) throw badRequest(error.field, error.message);
    throw error;
  }
}

/** The `to` textarea: addresses separated by line breaks, commas, semicolons or spaces. */
function addressesFromForm(form: Record<string, unknown>): string[] {
  const raw = form.to;
  if (typeof raw !== 'string') throw badRequest('to', 'give the addresses to send the test to');
  return raw
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

function testNotice(result: PreviewTestResult): SafeHtml {
  if (!result.ok) {
    if (result.reason === 'invalid-recipients') {
      return notice('problem', html`The test was not sent: ${result.problems.join('; ')}.`);
    }
    return notice(
      'problem',
      PREVIEW_REFUSALS[result.reason] ?? 'None of the edition’s posts is published any more.',
    );
  }
  const sent = result.sent.map((s) => s.to).join(', ');
  const failed = result.failed.map((f) => `${f.to} (${f.reason})`).join('; ');
  return notice(
    result.failed.length > 0 ? 'problem' : 'info',
    html`${result.sent.length > 0 ? html`Test sent to ${sent}.` : ''}${result.failed.length > 0 ? html` Not sent to ${failed}.` : ''}`,
  );
}

/**
 * A rendered mail in the console's frames may show its own styles and the publication's
 * images, and nothing else: no script, no request elsewhere, framed only by the console.
 */
function mailPreviewPolicy(publicationUrl: string): string {
  const origin = new URL(publicationUrl).origin;
  return `default-src 'none'; img-src 'self' data: ${origin}; style-src 'unsafe-inline'; font-src data:; sandbox; frame-ancestors 'self'; base-uri 'none'; form-action 'none'`;
}
