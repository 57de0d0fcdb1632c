import type { SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { useLocalAws } from '../../support/emulators.js';
import { loadSesNotification } from '../../support/ses-notifications/load-ses-notification.js';

const aws = useLocalAws();

describe('functions/ses-events on the emulators', () => {
  it('suppresses the bounced and complaining addresses of an SNS event, configured from the environment', async () => {
    const env = {
      AWS_REGION: 'us-east-1',
      GAZETTE_TABLE_PREFIX: aws.tablePrefix,
      GAZETTE_SITE_BUCKET: aws.bucket,
      GAZETTE_PUBLIC_URL: 'http://127.0.0.1:3000/',
      GAZETTE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:unused',
      GAZETTE_DYNAMODB_ENDPOINT: aws.endpoints.dynamodb,
      GAZETTE_S3_ENDPOINT: aws.endpoints.s3,
      GAZETTE_SES_ENDPOINT: aws.endpoints.ses,
    };
    Object.assign(process.env, env);
    try {
      await run();
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
    }
  });
});

async function run() {
  const { handler } = await import('../../../functions/ses-events.js');
  const event = loadSesNotification('lambda-event.json') as SNSEvent;
  const malformed = loadSesNotification(
    'malformed-message-not-json.sns.json',
  ) as SNSEvent['Records'][number]['Sns'];
  event.Records.push({ ...event.Records[0]!, Sns: malformed });
  const report = await handler(event);
  expect(report).toMatchObject({ processed: 2, suppressed: 2 });
  expect(report.skipped).toEqual([{ index: 2, reason: 'not JSON' }]);
  expect((await aws.suppressions.get(emailKeyOf('gone@example.com')))?.reason).toBe('bounce');
  expect((await aws.suppressions.get(emailKeyOf('angry@example.com')))?.reason).toBe('complaint');
}
