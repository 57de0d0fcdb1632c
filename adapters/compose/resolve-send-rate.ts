import type { SESClient } from '@aws-sdk/client-ses';
import { perWorkerRate } from '../../core/delivery/send-rate.js';
import type { Logger } from '../../core/ports.js';
import { readSesMaxSendRate } from '../aws/ses-send-quota.js';

/** SES's rate in the sandbox, the lowest an account can have: the fallback when nothing else is known. */
export const SANDBOX_SEND_RATE = 1;

/** Default share of SES's rate Gazette takes: room for confirmation mails and other senders. */
export const DEFAULT_SEND_RATE_SHARE = 0.8;

/**
 * CPU one send costs a worker (MIME, the SES and DynamoDB SDK calls, the ledger writes): about
 * 3 ms, measured by bench/delivery/pipeline.ts (docs/performance.md, Delivery).
 */
export const CPU_MS_PER_SEND = 3;

/** Lambda gives a function one full vCPU at 1,769 MB of memory, and CPU in proportion below that. */
const MB_PER_VCPU = 1_769;

export interface SendRateDecision {
  /** What this worker may send per second. */
  perWorker: number;
  /** What the worker's CPU can send per second, when its memory size is known. */
  cpuCeiling?: number | undefined;
  /** The account-wide rate the share was taken of. */
  total: number;
  /** Where `total` came from. */
  source: 'ses-quota' | 'configured' | 'sandbox-fallback';
}

/**
 * One send worker's rate: `total × share ÷ maxConcurrency` (see `perWorkerRate`), where `total`
 * is SES's MaxSendRate read with GetSendQuota at cold start. When SES does not answer in
 * `timeoutMs`, the configured total rate is used instead, and without one the sandbox rate (the
 * lowest there is): sending slowly is safe, sending too fast gets throttled. Each fallback is
 * logged as an error, as it means the account's real rate is not used.
 */
export async function resolveSendRate(input: {
  ses: SESClient;
  share: number;
  maxConcurrency: number;
  /** GAZETTE_SEND_RATE: the total to use when SES cannot be asked. */
  configuredTotal?: number | undefined;
  timeoutMs?: number | undefined;
  /** The function's memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE): its CPU share follows from it. */
  functionMemoryMb?: number | undefined;
  logger?: Logger | undefined;
}): Promise<SendRateDecision> {
  let total: number;
  let source: SendRateDecision['source'];
  try {
    total = await readSesMaxSendRate(input.ses, { timeoutMs: input.timeoutMs ?? 3_000 });
    source = 'ses-quota';
  } catch (error) {
    total = input.configuredTotal ?? SANDBOX_SEND_RATE;
    source = input.configuredTotal !== undefined ? 'configured' : 'sandbox-fallback';
    input.logger?.error('SES send quota unavailable; using a fallback send rate', {
      error: error instanceof Error ? error.message : String(error),
      total,
      source,
    });
  }
  const perWorker = perWorkerRate(total, input.share, input.maxConcurrency);
  input.logger?.info('send rate', {
    total,
    source,
    share: input.share,
    maxConcurrency: input.maxConcurrency,
    perWorker,
  });
  const memory = input.functionMemoryMb;
  if (memory === undefined || !(memory > 0)) return { perWorker, total, source };
  const cpuCeiling = (Math.min(1, memory / MB_PER_VCPU) * 1000) / CPU_MS_PER_SEND;
  if (perWorker > cpuCeiling) {
    // The account allows more than the workers can send: the rate would be missed silently.
    input.logger?.warn('send rate above what one worker can send with its CPU', {
      perWorker,
      cpuCeiling: Math.floor(cpuCeiling),
      memoryMb: memory,
      advice: `raise the maximum concurrency to ${Math.ceil((total * input.share) / cpuCeiling)} workers, or the memory to ${Math.min(10_240, Math.ceil((perWorker * CPU_MS_PER_SEND * MB_PER_VCPU) / 1000))} MB`,
    });
  }
  return { perWorker, total, source, cpuCeiling };
}
