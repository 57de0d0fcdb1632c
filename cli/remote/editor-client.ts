import { describeTarget, type EditorTarget } from './editor-target.js';
import {
  EditorAuthError,
  EditorNotFoundError,
  EditorRequestError,
  EditorServerError,
  EditorUnreachableError,
  LocalStackNotRunningError,
} from './remote-errors.js';

/** How long one call may take before it counts as unreachable. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  /** JSON (serialized here) or raw bytes/text sent with `contentType`. */
  body?: unknown;
  contentType?: string | undefined;
  accept?: string | undefined;
  /** The sentence for a 404, e.g. "no edition 'x'; `gazette editions` lists them". */
  notFound?: string | undefined;
  timeoutMs?: number | undefined;
}

/**
 * The editor API over HTTP, locally or on a stage. Every failure becomes an EditorApiError whose
 * `userMessage` says what happened and what to do next; the server's own message (which names
 * the field) is kept in it.
 */
export class EditorClient {
  private readonly fetchImpl: typeof fetch;

  constructor(
    readonly target: EditorTarget,
    options: { fetch?: typeof fetch } = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** A JSON call: the parsed body of a 2xx answer. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, { accept: 'application/json', ...options });
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new EditorServerError(
        `${describeTarget(this.target)} answered ${method} /${strip(path)} with something that is not JSON (${response.headers.get('content-type') ?? 'no content type'})`,
        response.status,
      );
    }
  }

  /** Any call: the 2xx Response, its body unread. Non-2xx answers throw. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(strip(path), this.target.baseUrl);
    const headers: Record<string, string> = {};
    let body: Uint8Array | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === 'string' || options.body instanceof Uint8Array) {
        body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body;
        headers['content-type'] = options.contentType ?? 'text/plain; charset=utf-8';
      } else {
        body = new TextEncoder().encode(JSON.stringify(options.body));
        headers['content-type'] = 'application/json';
      }
    }
    if (options.accept) headers.accept = options.accept;
    if (this.target.kind === 'local') {
      headers.authorization = `Bearer ${this.target.token}`;
    } else {
      Object.assign(headers, await this.target.sign({ method, url, headers: { ...headers }, body }));
    }

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : new Blob([body as Uint8Array<ArrayBuffer>]),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw this.unreachable(url, error);
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw await this.failure(method, path, response, options);
  }

  private unreachable(url: URL, error: unknown): Error {
    const reason = describeNetworkError(error);
    if (this.target.kind === 'local') {
      return new LocalStackNotRunningError(`nothing answers at ${this.target.baseUrl}: ${reason}`, {
        cause: error,
      });
    }
    return new EditorUnreachableError(
      `cannot reach the editor API of stage '${this.target.stage}' at ${url.origin} (${reason}): check your network, the stage name, or pass --url`,
      { cause: error },
    );
  }

  private async failure(
    method: string,
    path: string,
    response: Response,
    options: RequestOptions,
  ): Promise<Error> {
    const { message, field } = await serverMessage(response);
    const status = response.status;
    const where = describeTarget(this.target);
    if (status === 401 || status === 403) {
      if (this.target.kind === 'local') {
        return new EditorAuthError(
          `the local stack refused the editor token (${status}${message ? `: ${message}` : ''}): restart it with \`npm start\` so that ${this.target.stateDir}/local.json is current`,
          status,
        );
      }
      return new EditorAuthError(
        `AWS refused the request to stage '${this.target.stage}' (${status}${message ? `: ${message}` : ''}): your AWS identity needs execute-api:Invoke on the stage's editor routes, and fresh credentials (\`aws sso login\`, or another AWS_PROFILE)`,
        status,
      );
    }
    if (status === 404) {
      return new EditorNotFoundError(
        options.notFound ??
          `${where} has no ${method} /${strip(path).split('?')[0]}${message ? ` (${message})` : ''}: is it running the same version of Gazette as this CLI?`,
        message,
      );
    }
    if (status >= 400 && status < 500) {
      return new EditorRequestError(
        `${where} refused the request (${status}): ${message || response.statusText || 'no reason given'}`,
        status,
        field,
      );
    }
    if (status >= 300 && status < 400) {
      return new EditorServerError(
        `${where} answered ${method} /${strip(path)} with a redirect to ${response.headers.get('location') ?? 'nowhere'}: is the URL that of the editor API?`,
        status,
      );
    }
    return new EditorServerError(
      `${where} failed (${status}${message ? `: ${message}` : ''}); its logs say more${this.target.kind === 'local' ? ' (the terminal running `npm start`)' : ' (CloudWatch Logs of the web function)'}`,
      status,
    );
  }
}

function strip(path: string): string {
  return path.replace(/^\/+/, '');
}

/** The API's error body (`{ ok: false, error, field }`), or API Gateway's (`{ message }`). */
async function serverMessage(response: Response): Promise<{ message: string; field?: string | undefined }> {
  const text = (await response.text().catch(() => '')).trim();
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; field?: unknown };
    const message =
      typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : '';
    return { message: clip(message), field: typeof body.field === 'string' ? body.field : undefined };
  } catch {
    // An HTML error page or plain text: its first line is enough.
    return { message: /^</.test(text) ? '' : clip(text.split('\n')[0] ?? '') };
  }
}

function clip(text: string): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

/** `connection refused`, `timed out`, `host not found`… from fetch's error and its cause. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'no answer in time';
  }
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}
