import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Receives before a message is parked in the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * AWS's rule for an SQS event source: the visibility timeout at least 6 times the function's
 * timeout, so a batch that Lambda retries after throttling is not redelivered while in flight.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface SendQueueProps {
  /** The send worker's timeout in seconds. */
  workerTimeoutSeconds: number;
}

/**
 * The send queue the fan-out fills and the send workers drain, with its dead-letter queue: SSE
 * with SQS-managed keys, TLS only. A message that fails {@link MAX_RECEIVE_COUNT} times (poison,
 * or a recipient SES keeps refusing) lands in the dead-letter queue and raises an alarm.
 */
export class SendQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SendQueueProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.workerTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}

/**
 * A dead-letter queue: encrypted, TLS only, messages kept 14 days (the most SQS allows) so there
 * is time to look at them and redrive.
 */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue; a dead-letter queue of its own would only move the messages one step further from the alarm that watches this one.',
  });
  return queue;
}
