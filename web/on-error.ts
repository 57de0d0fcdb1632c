import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { TemplateError } from '../core/errors.js';
import { MailerError } from '../core/mailer-error.js';
import { SubscriberConflictError } from '../core/subscriptions/subscription-errors.js';
import { HttpProblemError } from './http-problem.js';
import { RateLimiterUnavailableError } from './limit-rate.js';
import { errorPage } from './pages/error-page.js';
import { wantsJson } from './read-fields.js';
import { respondPage } from './respond-page.js';
import type { WebDeps } from './web-deps.js';

interface Mapped {
  status: ContentfulStatusCode;
  field?: string | undefined;
  message: string;
  headers: Record<string, string>;
}

/** The one place where failures become HTTP answers: by class, never by message; no stack traces out. */
function mapError(error: unknown): Mapped {
  if (error instanceof HttpProblemError) {
    return {
      status: error.status,
      field: error.problem.field,
      message: error.message,
      headers: error.headers,
    };
  }
  if (error instanceof MailerError) {
    return {
      status: 503,
      message: 'the confirmation email could not be sent just now; please try again in a few minutes',
      headers: { 'Retry-After': '120' },
    };
  }
  if (error instanceof RateLimiterUnavailableError) {
    return {
      status: 503,
      message: 'we cannot take this request just now; please try again in a minute',
      headers: { 'Retry-After': '60' },
    };
  }
  if (error instanceof SubscriberConflictError) {
    return { status: 503, message: 'busy; please try again', headers: { 'Retry-After': '5' } };
  }
  if (error instanceof HTTPException && error.status < 500) {
    return {
      status: error.status as ContentfulStatusCode,
      message: error.message || 'bad request',
      headers: {},
    };
  }
  return { status: 500, message: 'internal error; it has been logged', headers: {} };
}

/**
 * Builds the app's `onError`: a JSON or HTML answer, and one structured log line. With
 * `alwaysJson` (the editor API) every answer is JSON, whatever the client accepts.
 */
export function createErrorHandler(
  deps: Pick<WebDeps, 'publication' | 'siteTemplates' | 'logger'>,
  options: { alwaysJson?: boolean } = {},
) {
  return async (error: unknown, c: Context): Promise<Response> => {
    const mapped = mapError(error);
    const fields = {
      status: mapped.status,
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? error.name : typeof error,
    };
    if (mapped.status >= 500) {
      deps.logger.error(error instanceof Error ? error.message : 'non-error thrown', {
        ...fields,
        stack: error instanceof Error ? error.stack : undefined,
        cause: error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined,
        templateError: error instanceof TemplateError,
      });
    } else {
      deps.logger.info('request refused', { ...fields, problem: mapped.message });
    }
    for (const [name, value] of Object.entries(mapped.headers)) c.header(name, value);
    c.header('Cache-Control', 'no-store');
    if (options.alwaysJson || wantsJson(c)) {
      return c.json(
        { ok: false, error: mapped.message, ...(mapped.field ? { field: mapped.field } : {}) },
        mapped.status,
      );
    }
    try {
      const page = errorPage(mapped.status, mapped.message, deps.publication.url);
      return await respondPage(c, deps, { ...page, status: mapped.status, personal: true });
    } catch {
      // The layout itself failed (a broken template): answer in plain text rather than not at all.
      return c.text(mapped.message, mapped.status);
    }
  };
}
