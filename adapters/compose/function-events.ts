/**
 * The events the publish and edition functions are invoked with, read and checked before
 * anything acts on them. A malformed event is a {@link FunctionEventError} naming the field:
 * the invocation fails, and after Lambda's retries it lands in the dead-letter queue, where its
 * alarm is raised.
 */
import type { ScheduledEditionInput } from '../../core/editions/run-scheduled-edition.js';
import { DIGEST_CADENCES, type DigestCadence } from '../../core/model.js';

/** An event a function cannot act on; `field` names what is wrong. */
export class FunctionEventError extends Error {
  override readonly name = 'FunctionEventError';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`event: ${field}: ${detail}`);
  }
}

/** Why the publish function runs. */
export type PublishTrigger =
  /** S3 notifications of the content bucket: objects written or removed. */
  | { kind: 'content-upload'; keys: string[] }
  /** The deploy finished uploading content/ (one call after the whole upload). */
  | { kind: 'content-deployed'; revision: string | undefined }
  /** The hourly schedule: posts whose date has come. */
  | { kind: 'publish-due'; scheduledTime: string | undefined };

/** Reads the publish function's event: an S3 notification, `{ kind: 'content-deployed' }` or `{ kind: 'publish-due' }`. */
export function readPublishTrigger(event: unknown): PublishTrigger {
  const e = objectOf(event, 'event');
  if (Array.isArray(e.Records)) {
    const keys: string[] = [];
    e.Records.forEach((record: unknown, i) => {
      const key = (record as { s3?: { object?: { key?: unknown } } } | null)?.s3?.object?.key;
      if (typeof key !== 'string') throw new FunctionEventError(`Records[${i}].s3.object.key`, 'missing');
      // S3 notifications URL-encode keys, with `+` for spaces.
      keys.push(decodeURIComponent(key.replace(/\+/g, ' ')));
    });
    return { kind: 'content-upload', keys };
  }
  if (e.kind === 'content-deployed') {
    return { kind: 'content-deployed', revision: optionalString(e.revision, 'revision') };
  }
  if (e.kind === 'publish-due') {
    return { kind: 'publish-due', scheduledTime: optionalString(e.scheduledTime, 'scheduledTime') };
  }
  throw new FunctionEventError(
    'kind',
    `expected an S3 notification or kind "content-deployed" or "publish-due", got ${describe(e.kind)}`,
  );
}

/**
 * Reads the edition function's event, the EventBridge Scheduler target input
 * `{ "cadence": "daily"|"weekly", "scheduledTime"?: "<aws.scheduler.scheduled-time>" }`.
 */
export function readScheduledEditionEvent(event: unknown): ScheduledEditionInput {
  const e = objectOf(event, 'event');
  if (typeof e.cadence !== 'string' || !DIGEST_CADENCES.includes(e.cadence as DigestCadence)) {
    throw new FunctionEventError(
      'cadence',
      `must be one of ${DIGEST_CADENCES.join(', ')}, got ${describe(e.cadence)}`,
    );
  }
  return {
    cadence: e.cadence as DigestCadence,
    scheduledTime: optionalString(e.scheduledTime, 'scheduledTime'),
  };
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FunctionEventError(field, 'not a JSON object');
  }
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FunctionEventError(field, 'must be a string');
  return value;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value)?.slice(0, 60) ?? String(value));
}
