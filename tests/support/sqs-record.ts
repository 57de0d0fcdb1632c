import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

/**
 * One record of the send queue as the Lambda event source mapping hands it over.
 * `receiveCount` goes in as SQS writes it, a string (an odd one tests the parsing).
 */
export function sqsRecord(messageId: string, body: string, receiveCount = '1'): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: receiveCount,
      SentTimestamp: '1796112000000',
      SenderId: 'AIDATEST',
      ApproximateFirstReceiveTimestamp: '1796112000100',
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:gazette-send',
    awsRegion: 'us-east-1',
  };
}
