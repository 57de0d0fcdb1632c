import { MailerError } from '../../core/mailer-error.js';

/** Error names AWS uses for "slow down" (the SDK's own list, plus SES's `Throttling`). */
const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'LimitExceededException',
  'BandwidthLimitExceeded',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** The sender's setup is wrong: retrying the same call cannot help until someone fixes it. */
const PERMANENT_NAMES = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'ConfigurationSetSendingPausedException',
  'AccountSendingPausedException',
  'InvalidParameterValue',
  'ValidationError',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** Socket errors raised before a connection existed: the request never left this machine. */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** Socket errors that can strike after the request was written: SES may have accepted it. */
const MID_REQUEST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Maps whatever SendRawEmail threw (an SDK service exception, a timeout, a socket error) to a
 * {@link MailerError} with the flags the delivery engine decides on:
 * - Throttling / "Maximum sending rate exceeded" → throttled and retryable, certainly not sent;
 * - "Daily message quota exceeded" → retryable (after the quota window), not throttled: backing off
 *   for seconds cannot help;
 * - HTTP 5xx from SES → retryable, not sent;
 * - connection never established (refused, DNS, connect timeout) → retryable, not sent;
 * - request timeout, reset or broken pipe mid-request → retryable but `maybeSent`;
 * - MessageRejected, MailFromDomainNotVerified, ConfigurationSetDoesNotExist, paused sending,
 *   credentials and validation errors, any other 4xx → not retryable.
 */
export function classifySesError(error: unknown): MailerError {
  if (error instanceof MailerError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? e.code : undefined;
  const text = typeof e.message === 'string' ? e.message : String(error);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const detail = `SES SendRawEmail failed: ${name}${status !== undefined ? ` (HTTP ${status})` : ''}: ${text}`;
  const make = (c: string, flags: { retryable: boolean; throttled?: boolean; maybeSent?: boolean }) =>
    new MailerError(detail, { code: c, ...flags, cause: error });

  if (/daily message quota exceeded/i.test(text)) {
    return make('DailyQuotaExceeded', { retryable: true });
  }
  if (THROTTLING_NAMES.has(name) || status === 429 || /maximum sending rate exceeded/i.test(text)) {
    return make(name, { retryable: true, throttled: true });
  }
  if (PERMANENT_NAMES.has(name)) return make(name, { retryable: false });
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'RequestTimeoutException') {
    // The connect timeout fires before a socket exists; every other timeout may follow a sent request.
    const connecting = /did not establish a connection/i.test(text);
    return make('TimeoutError', { retryable: true, maybeSent: !connecting });
  }
  if (name === 'AbortError') return make(name, { retryable: true, maybeSent: true });
  if (code !== undefined && NOT_CONNECTED_CODES.has(code)) return make(code, { retryable: true });
  if (code !== undefined && MID_REQUEST_CODES.has(code))
    return make(code, { retryable: true, maybeSent: true });
  if (status !== undefined) {
    if (status >= 500) return make(name, { retryable: true });
    // A 2xx with an error means the answer could not be read: SES probably took the message.
    if (status < 300) return make(name, { retryable: false, maybeSent: true });
    return make(name, { retryable: false });
  }
  if (e.$fault === 'server') return make(name, { retryable: true });
  // Anything else failed inside this process before or while building the request.
  return make(name, { retryable: false });
}
