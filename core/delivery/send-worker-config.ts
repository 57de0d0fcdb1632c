import { ConfigError } from '../errors.js';
import { inFlightFor } from './send-rate.js';

/**
 * The time one send holds its in-flight slot, for the default concurrency: SES's answer (tens of
 * milliseconds, 150 ms on a slow day) plus the claim written first, building the mail and waits
 * for a busy event loop. The pipeline benchmark measured 221 ms a send at 150 ms of SES latency.
 */
export const SEND_SLOT_MS = 250;

/** How a send worker paces and retries. See {@link resolveSendWorkerConfig} for the defaults. */
export interface SendWorkerConfig {
  /** This worker's share of the total rate (see `perWorkerRate`). */
  sendRatePerSecond: number;
  /** Token bucket size; default one second's worth. */
  burst: number;
  /** Provider calls in flight at once (see `inFlightFor`): rate × latency needs this many. */
  concurrency: number;
  /** The queue's receive limit before a message is dead-lettered (SQS maxReceiveCount). Default 5. */
  maxReceives: number;
  /** Sends of one recipient within one receive before it is left to redelivery. Default 6. */
  maxSendAttempts: number;
  /** Backoff after a throttled or failed send: base and cap of the full-jitter interval. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** How long a paused edition's messages wait before they are looked at again. Default 30 s. */
  pausedDelaySeconds: number;
  /** How long a worker trusts the edition it read (the pause flag's delay). Default 2 s. */
  editionCacheMs: number;
  /**
   * How long a claim (`sending` row) of another attempt is taken to be in progress; an older one
   * belongs to an attempt that died and becomes `unknown`. Longer than the provider call's
   * timeout, and at most the queue's visibility timeout. Default 60 s.
   */
  claimLeaseMs: number;
  /** Rows marked sent per ledger call. Default 25. */
  markSentBatchSize: number;
}

const DEFAULTS: Omit<SendWorkerConfig, 'sendRatePerSecond' | 'burst' | 'concurrency'> = {
  maxReceives: 5,
  maxSendAttempts: 6,
  backoffBaseMs: 200,
  backoffCapMs: 5_000,
  pausedDelaySeconds: 30,
  editionCacheMs: 2_000,
  claimLeaseMs: 60_000,
  markSentBatchSize: 25,
};

/**
 * A complete, checked configuration from the rate and whatever else is given; every problem is
 * listed in one ConfigError. Concurrency defaults to what the rate needs at {@link SEND_SLOT_MS} a send.
 */
export function resolveSendWorkerConfig(
  given: Partial<SendWorkerConfig> & Pick<SendWorkerConfig, 'sendRatePerSecond'>,
): SendWorkerConfig {
  const rate = given.sendRatePerSecond;
  const config: SendWorkerConfig = {
    ...DEFAULTS,
    burst: Math.max(1, rate),
    concurrency: rate > 0 ? inFlightFor(rate, SEND_SLOT_MS) : 1,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  } as SendWorkerConfig;
  const problems: string[] = [];
  const positive = (name: keyof SendWorkerConfig, integer: boolean, min = 0): void => {
    const v = config[name];
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < min ||
      (min === 0 && v === 0) ||
      (integer && !Number.isInteger(v))
    ) {
      problems.push(
        `send worker: ${name} must be ${integer ? 'a whole number' : 'a number'} ${min === 0 ? '> 0' : `≥ ${min}`}, got ${String(v)}`,
      );
    }
  };
  positive('sendRatePerSecond', false);
  positive('burst', false, 1);
  positive('concurrency', true, 1);
  positive('maxReceives', true, 1);
  positive('maxSendAttempts', true, 1);
  positive('backoffBaseMs', false);
  positive('backoffCapMs', false);
  positive('pausedDelaySeconds', true, 1);
  positive('editionCacheMs', false);
  positive('claimLeaseMs', false);
  positive('markSentBatchSize', true, 1);
  if (config.pausedDelaySeconds > 900)
    problems.push('send worker: pausedDelaySeconds must be at most 900 (SQS)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
