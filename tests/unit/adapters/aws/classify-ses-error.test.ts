import {
  AccountSendingPausedException,
  ConfigurationSetDoesNotExistException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESServiceException,
} from '@aws-sdk/client-ses';
import { describe, expect, it } from 'vitest';
import { classifySesError } from '../../../../adapters/aws/classify-ses-error.js';
import { MailerError } from '../../../../core/mailer-error.js';

const meta = (httpStatusCode: number) => ({
  httpStatusCode,
  requestId: 'req-1',
  attempts: 1,
  totalRetryDelay: 0,
});

function service(name: string, message: string, status: number, fault: 'client' | 'server' = 'client') {
  return new SESServiceException({ name, message, $fault: fault, $metadata: meta(status) });
}

function socketError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifySesError', () => {
  it('maps SES throttling to throttled and retryable, never sent', () => {
    const e = classifySesError(service('Throttling', 'Maximum sending rate exceeded.', 400));
    expect(e).toBeInstanceOf(MailerError);
    expect(e).toMatchObject({ code: 'Throttling', throttled: true, retryable: true, maybeSent: false });
  });

  it('recognizes the rate message and HTTP 429 whatever the name', () => {
    expect(classifySesError(service('SomethingElse', 'Maximum sending rate exceeded.', 400)).throttled).toBe(
      true,
    );
    expect(classifySesError(service('TooManyRequests', 'slow down', 429)).throttled).toBe(true);
    expect(classifySesError(service('ThrottlingException', 'Rate exceeded', 400)).throttled).toBe(true);
  });

  it('treats the daily quota as retryable later, not as a rate to back off from', () => {
    const e = classifySesError(service('Throttling', 'Daily message quota exceeded.', 400));
    expect(e).toMatchObject({
      code: 'DailyQuotaExceeded',
      retryable: true,
      throttled: false,
      maybeSent: false,
    });
  });

  it.each([
    [
      'MessageRejected',
      new MessageRejected({ message: 'Email address is not verified.', $metadata: meta(400) }),
    ],
    [
      'MailFromDomainNotVerifiedException',
      new MailFromDomainNotVerifiedException({ message: 'not verified', $metadata: meta(400) }),
    ],
    [
      'ConfigurationSetDoesNotExistException',
      new ConfigurationSetDoesNotExistException({ message: 'no such set', $metadata: meta(400) }),
    ],
    [
      'AccountSendingPausedException',
      new AccountSendingPausedException({ message: 'paused', $metadata: meta(400) }),
    ],
  ])('%s is permanent', (code, error) => {
    expect(classifySesError(error)).toMatchObject({
      code,
      retryable: false,
      throttled: false,
      maybeSent: false,
    });
  });

  it.each([
    ['InvalidClientTokenId', 403],
    ['SignatureDoesNotMatch', 403],
    ['AccessDenied', 403],
    ['InvalidParameterValue', 400],
    ['SomeFutureClientError', 400],
  ])('%s (HTTP %i) is not retryable', (name, status) => {
    expect(classifySesError(service(name, 'no', status))).toMatchObject({
      retryable: false,
      maybeSent: false,
    });
  });

  it('maps 5xx answers to retryable, not sent', () => {
    for (const status of [500, 502, 503]) {
      expect(classifySesError(service('InternalFailure', 'oops', status, 'server'))).toMatchObject({
        retryable: true,
        throttled: false,
        maybeSent: false,
      });
    }
    expect(classifySesError(service('ServiceUnavailable', 'down', 503, 'server')).code).toBe(
      'ServiceUnavailable',
    );
  });

  it('marks a request timeout as maybe sent, and a connect timeout as not sent', () => {
    const request = Object.assign(new Error('a request has exceeded the configured 200 ms requestTimeout.'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    expect(classifySesError(request)).toMatchObject({
      code: 'TimeoutError',
      retryable: true,
      maybeSent: true,
    });
    const connect = Object.assign(
      new Error(
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 100 ms.',
      ),
      { name: 'TimeoutError' },
    );
    expect(classifySesError(connect)).toMatchObject({ retryable: true, maybeSent: false });
  });

  it('tells socket errors before and after the connection apart', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']) {
      expect(classifySesError(socketError(code))).toMatchObject({ code, retryable: true, maybeSent: false });
    }
    for (const code of ['ECONNRESET', 'EPIPE']) {
      expect(classifySesError(socketError(code))).toMatchObject({ code, retryable: true, maybeSent: true });
    }
  });

  it('treats an unreadable 2xx answer as probably sent', () => {
    const e = classifySesError(service('DeserializationError', 'bad xml', 200));
    expect(e).toMatchObject({ retryable: false, maybeSent: true });
  });

  it('keeps the original error as cause and names it in the message', () => {
    const original = new MessageRejected({ message: 'Email address is not verified.', $metadata: meta(400) });
    const e = classifySesError(original);
    expect(e.cause).toBe(original);
    expect(e.message).toMatch(/MessageRejected.*HTTP 400.*not verified/);
  });

  it('passes a MailerError through and copes with non-errors', () => {
    const already = new MailerError('x', { code: 'X', retryable: true });
    expect(classifySesError(already)).toBe(already);
    expect(classifySesError('weird')).toMatchObject({ retryable: false });
    expect(classifySesError(undefined)).toBeInstanceOf(MailerError);
    expect(classifySesError(new TypeError('bug before the call'))).toMatchObject({
      retryable: false,
      maybeSent: false,
    });
  });
});
