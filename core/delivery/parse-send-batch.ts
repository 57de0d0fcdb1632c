import type { Recipient, SendBatch } from '../edition.js';
import { MalformedSendBatchError } from './delivery-errors.js';

/** Most recipients fan-out puts in one queue message (the body stays far below SQS's 256 KiB). */
export const MAX_RECIPIENTS_PER_BATCH = 50;

const ID = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * Checks a queue message body before anything acts on it: ids must be plain tokens (they end up
 * in ledger keys, object keys and SES tags). Throws MalformedSendBatchError naming the field.
 * Duplicated recipients are kept once.
 */
export function parseSendBatch(body: unknown): SendBatch {
  if (typeof body !== 'object' || body === null) throw new MalformedSendBatchError('body', 'not an object');
  const { editionId, variantKey, recipients } = body as Record<string, unknown>;
  if (typeof editionId !== 'string' || !ID.test(editionId)) {
    throw new MalformedSendBatchError('editionId', 'must be a plain id');
  }
  if (typeof variantKey !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(variantKey)) {
    throw new MalformedSendBatchError('variantKey', 'must be a plain key');
  }
  if (!Array.isArray(recipients)) throw new MalformedSendBatchError('recipients', 'not a list');
  if (recipients.length > MAX_RECIPIENTS_PER_BATCH * 2) {
    throw new MalformedSendBatchError('recipients', `more than ${MAX_RECIPIENTS_PER_BATCH * 2}`);
  }
  const seen = new Set<string>();
  const out: Recipient[] = [];
  recipients.forEach((r: unknown, i) => {
    const { subscriberId, emailKey } = (typeof r === 'object' && r !== null ? r : {}) as Record<
      string,
      unknown
    >;
    if (typeof subscriberId !== 'string' || !ID.test(subscriberId)) {
      throw new MalformedSendBatchError(`recipients[${i}].subscriberId`, 'must be a plain id');
    }
    if (typeof emailKey !== 'string' || !ID.test(emailKey)) {
      throw new MalformedSendBatchError(`recipients[${i}].emailKey`, 'must be a plain id');
    }
    if (!seen.has(subscriberId)) {
      seen.add(subscriberId);
      out.push({ subscriberId, emailKey });
    }
  });
  return { editionId, variantKey, recipients: out };
}
