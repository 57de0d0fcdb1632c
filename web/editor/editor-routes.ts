import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CreateEditionResult } from '../../core/editions/create-edition.js';
import { EditionRequestError } from '../../core/editions/edition-errors.js';
import type { PreviewResult } from '../../core/editions/preview-edition.js';
import { HttpProblemError } from '../http-problem.js';
import { createErrorHandler } from '../on-error.js';
import { readFields } from '../read-fields.js';
import type { WebDeps } from '../web-deps.js';
import { editorAuth } from './editor-auth.js';
import type { EditorDeps } from './editor-deps.js';
import {
  editionIdParam,
  editionRequestFromBody,
  editionRequestFromQuery,
  limitParam,
  testRecipientsFromBody,
} from './read-editor-input.js';

/** Most editions one list request may ask for. */
export const MAX_LIST_LIMIT = 100;

/** The rendered mail in the console's frame: its own inline styles and images, no script, framed only by us. */
const PREVIEW_POLICY =
  "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; font-src https: data:; sandbox; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

type Refusal = { status: ContentfulStatusCode; field: string; error: string };

/** Why an edition cannot be made or shown, as the editor sees it. */
const REFUSALS: Record<string, Refusal> = {
  'no-posts': {
    status: 422,
    field: 'cadence',
    error: 'nothing was published since the last edition of this cadence: there is nothing to send',
  },
  'no-schedule': {
    status: 422,
    field: 'cadence',
    error: 'publication.yaml has no schedule for this cadence',
  },
  'not-found': {
    status: 422,
    field: 'post',
    error: 'no published post has this slug (drafts and posts dated in the future are not sent)',
  },
  'not-published': {
    status: 409,
    field: 'post',
    error: 'this post is not published yet (a draft, or dated in the future)',
  },
};

/**
 * The editor API under `/editor/editions` (JSON in and out; `/editor` itself and
 * `/editor/console…` are left to the console):
 * - `GET /editor/editions?limit=` newest editions with state and counts;
 * - `POST /editor/editions` `{ "cadence": "weekly" }` or `{ "post": "<slug>" }`: create (idempotent)
 *   and fan out within the request; 201 when created, 200 when it existed (a retried request
 *   resumes an unfinished fan-out), 422 / 409 with the reason when there is nothing to send. On
 *   AWS the request has API Gateway's 30 s: docs/performance.md (Delivery, fan-out) gives the
 *   list size that fits; a larger list finishes over repeated requests, shard by shard;
 * - `GET /editor/editions/preview?cadence=|post=[&format=html|text]`: what "send now" would send;
 * - `GET /editor/editions/<id>`: progress;
 * - `POST /editor/editions/<id>/test` `{ "to": [...] }`: the edition to those addresses only;
 * - `POST /editor/editions/<id>/pause` and `/resume`.
 * Every request is authenticated first (see `editorAuth`); answers are never cached.
 */
export function registerEditorRoutes(app: Hono, deps: WebDeps, editor: EditorDeps): void {
  const { services } = editor;
  const api = new Hono();
  api.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  api.use('*', editorAuth(editor.auth));

  api.get('/', async (c) => {
    const editions = await services.listEditions(limitParam(c, MAX_LIST_LIMIT));
    return c.json({ editions });
  });

  api.post('/', async (c) => {
    const { fields } = await readFields(c, ['json']);
    const result = await services.createEdition(editionRequestFromBody(fields));
    if (!result.ok) return refuse(c, result.reason);
    return c.json(created(result), result.created ? 201 : 200);
  });

  api.get('/preview', async (c) => {
    const request = editionRequestFromQuery(c);
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'html' && format !== 'text') {
      throw new HttpProblemError(400, { field: 'format', message: 'must be json, html or text' });
    }
    const preview: PreviewResult = await services.preview(request);
    if (!preview.ok) return refuse(c, preview.reason);
    if (format === 'html') {
      c.header('Content-Security-Policy', PREVIEW_POLICY);
      c.header('X-Frame-Options', 'SAMEORIGIN');
      return c.html(preview.html);
    }
    if (format === 'text') return c.text(preview.text);
    return c.json(preview);
  });

  api.get('/:id', async (c) => {
    const progress = await services.progress(editionIdParam(c));
    if (!progress) throw noEdition();
    return c.json(progress);
  });

  api.post('/:id/test', async (c) => {
    const editionId = editionIdParam(c);
    const { fields } = await readFields(c, ['json']);
    const result = await services.sendTest({ editionId, to: testRecipientsFromBody(fields) });
    if (!result.ok) {
      if (result.reason === 'invalid-recipients')
        throw new HttpProblemError(400, { field: 'to', message: result.problems.join('; ') });
      if (result.reason === 'missing') throw noEdition();
      return c.json(
        {
          ok: false,
          reason: result.reason,
          field: 'id',
          error: "none of the edition's posts is published any more",
        },
        409,
      );
    }
    // Nothing went out: the provider refused every address.
    return c.json(result, result.sent.length === 0 ? 502 : 200);
  });

  for (const action of ['pause', 'resume'] as const) {
    api.post(`/:id/${action}`, async (c) => {
      const editionId = editionIdParam(c);
      const result = await services[action](editionId);
      if (!result.ok) {
        if (result.reason === 'missing') throw noEdition();
        return c.json(
          {
            ok: false,
            reason: 'done',
            field: 'id',
            error: 'the edition is done: every delivery has an outcome',
          },
          409,
        );
      }
      return c.json({ ok: true, editionId, state: result.state });
    });
  }

  api.all('*', (c) => {
    throw new HttpProblemError(404, {
      field: 'path',
      message: `${c.req.method} ${c.req.path} is not an editor route`,
    });
  });

  const answer = createErrorHandler(deps, { alwaysJson: true });
  api.onError((error, c) =>
    answer(
      error instanceof EditionRequestError
        ? new HttpProblemError(400, {
            field: error.field,
            message: error.message.slice(error.field.length + 2),
          })
        : error,
      c,
    ),
  );
  app.route('/editor/editions', api);
}

function noEdition(): HttpProblemError {
  return new HttpProblemError(404, { field: 'id', message: 'there is no edition with this id' });
}

function refuse(c: Context, reason: string): Response {
  const refusal = REFUSALS[reason] ?? { status: 409 as const, field: 'body', error: reason };
  return c.json({ ok: false, reason, field: refusal.field, error: refusal.error }, refusal.status);
}

function created(result: Extract<CreateEditionResult, { ok: true }>) {
  const { edition, fanOut } = result;
  return {
    ok: true,
    editionId: edition.id,
    created: result.created,
    cadence: edition.cadence,
    state: edition.state,
    posts: edition.postSlugs,
    fanOut: fanOut ?? null,
    progress: `/editor/editions/${encodeURIComponent(edition.id)}`,
  };
}
