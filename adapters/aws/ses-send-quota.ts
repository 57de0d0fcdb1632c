import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';

/** GetSendQuota did not answer usably in time. */
export class SendQuotaError extends Error {
  override readonly name = 'SendQuotaError';
}

/**
 * SES's maximum send rate for the account and region (GetSendQuota's `MaxSendRate`, sends per
 * second). Bounded by `timeoutMs` whatever the client's own settings: a cold start must not hang
 * on it (the local SES emulator, for one, never answers this action).
 *
 * @throws SendQuotaError on a timeout, a failed call, or an answer without a positive rate.
 */
export async function readSesMaxSendRate(ses: SESClient, options: { timeoutMs: number }): Promise<number> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs);
  try {
    const res = await ses.send(new GetSendQuotaCommand({}), { abortSignal: abort.signal });
    const rate = res.MaxSendRate;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      throw new SendQuotaError(`GetSendQuota answered without a usable MaxSendRate (${String(rate)})`);
    }
    return rate;
  } catch (error) {
    if (error instanceof SendQuotaError) throw error;
    const why = abort.signal.aborted
      ? `no answer within ${options.timeoutMs} ms`
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
    throw new SendQuotaError(`SES GetSendQuota failed: ${why}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
