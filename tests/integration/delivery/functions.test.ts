/**
 * The Lambda entry points of publishing and delivery, run as Lambda runs them: configured only
 * from the environment, against the emulators (DynamoDB, S3 for the site and content buckets)
 * and stand-ins on 127.0.0.1 (SES with GetSendQuota, SQS, Secrets Manager). A post uploaded to
 * the content bucket is published and mailed to `immediate` subscribers; the weekly schedule
 * mails its digest; SES events settle deliveries.
 */
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context, SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryLedger } from '../../../adapters/aws/dynamo-delivery-ledger.js';
import { workerPublicationJson } from '../../../adapters/config/worker-publication.js';
import { latestSlot } from '../../../core/editions/schedule-slot.js';
import type { Cadence } from '../../../core/model.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { readPublication } from '../../../infra/config/read-publication.js';
import { useLocalAws } from '../../support/emulators.js';
import { makeSubscriber } from '../../support/fixtures.js';
import { TEST_SECRET } from '../../support/memory-adapters.js';
import { type SesStandIn, startSesStandIn } from '../../support/ses-stand-in.js';
import { sqsRecord } from '../../support/sqs-record.js';
import {
  type SqsStandIn,
  type StandInServer,
  startSecretsStandIn,
  startSqsStandIn,
} from './aws-stand-ins.js';

const aws = useLocalAws({ clean: false });
const ROOT = join(import.meta.dirname, '..', '..', '..');
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:gazette-links-AbCdEf';
const CONTENT_BUCKET = 'gazette-test-content';
const WEEKLY = { day: 'friday', time: '09:00', timeZone: 'Europe/Berlin' } as const;
const lambdaContext = { getRemainingTimeInMillis: () => 100_000 } as Context;

let ses: SesStandIn;
let sqs: SqsStandIn;
let secrets: StandInServer;
const saved: Record<string, string | undefined> = {};

const slot = latestSlot('weekly', WEEKLY, new Date()).instant;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  ses = await startSesStandIn({ keepRaw: false, maxSendRate: 50 });
  sqs = await startSqsStandIn();
  secrets = await startSecretsStandIn(
    SECRET_ARN,
    JSON.stringify({ current: { id: 'k1', secret: TEST_SECRET } }),
  );
  await aws.s3.send(new CreateBucketCommand({ Bucket: CONTENT_BUCKET }));
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    GAZETTE_TABLE_PREFIX: aws.tablePrefix,
    GAZETTE_SITE_BUCKET: aws.bucket,
    GAZETTE_CONTENT_BUCKET: CONTENT_BUCKET,
    GAZETTE_PUBLIC_URL: 'http://127.0.0.1:3999/',
    GAZETTE_SECRET_ARN: SECRET_ARN,
    GAZETTE_QUEUE_URL: sqs.queueUrl,
    GAZETTE_SES_CONFIGURATION_SET: 'gazette-events',
    GAZETTE_SEND_RATE_SHARE: '0.8',
    GAZETTE_WORKER_MAX_CONCURRENCY: '2',
    GAZETTE_BUNDLE_DIR: ROOT,
    // What the stack hands the send worker, from the same publication.yaml.
    GAZETTE_PUBLICATION: workerPublicationJson(readPublication(join(ROOT, 'content'))),
    GAZETTE_DYNAMODB_ENDPOINT: aws.endpoints.dynamodb,
    GAZETTE_S3_ENDPOINT: aws.endpoints.s3,
    GAZETTE_SES_ENDPOINT: ses.endpoint,
  };
  for (const [name, value] of Object.entries(env)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await Promise.all([ses.close(), sqs.close(), secrets.close()]);
});

async function upload(key: string, text: string): Promise<void> {
  await aws.s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: key, Body: text }));
}

function postFile(title: string, date: Date, tags: string[]): string {
  return `---\ntitle: ${title}\ndate: ${date.toISOString()}\ntags: [${tags.join(', ')}]\n---\n\n${title}: the body of the post.\n`;
}

let count = 0;
async function subscribers(
  n: number,
  cadence: Cadence,
  status: SubscriberStatus = 'active',
): Promise<Subscriber[]> {
  const made: Subscriber[] = [];
  for (let i = 0; i < n; i++) {
    count += 1;
    const at = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const id = `fn-sub-${String(count).padStart(4, '0')}`;
    made.push(makeSubscriber(`fn-reader-${count}@example.org`, id, at, { status, cadence }));
  }
  await Promise.all(made.map((s) => aws.subscribers.create(s)));
  return made;
}

describe('the Lambda functions of publishing and delivery, from their environment', () => {
  let immediate: Subscriber[];
  let weekly: Subscriber[];
  let pending: Subscriber[];
  const ledger = () => new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries);

  it('publish: the first run writes the site and mails nothing (the back catalogue is not news)', async () => {
    immediate = await subscribers(5, 'immediate');
    weekly = await subscribers(5, 'weekly');
    pending = [
      ...(await subscribers(2, 'immediate', 'pending')),
      ...(await subscribers(1, 'weekly', 'pending')),
    ];
    const publication = (await import('node:fs')).readFileSync(
      join(ROOT, 'content', 'publication.yaml'),
      'utf8',
    );
    await upload('publication.yaml', publication);
    await upload(
      'posts/old-news.md',
      postFile('Old news', new Date(slot.getTime() - 3 * 86_400_000), ['nato']),
    );
    await upload('README.md', 'Notes for editors: not a post.');

    const { handler } = await import('../../../functions/publish.js');
    const report = await handler({ kind: 'publish-due', scheduledTime: iso(new Date()) });
    expect(report).toMatchObject({ trigger: 'publish-due', newlyPublished: [], editions: [], pending: [] });
    expect(report.written).toBeGreaterThan(3);
    const keys = (await aws.objects.list()).map((o) => o.key);
    expect(keys).toEqual(expect.arrayContaining(['index.html', 'feed.xml', 'posts/old-news/index.html']));
    // Every link points at the deployment's public URL.
    const feed = new TextDecoder().decode((await aws.objects.get('feed.xml'))?.body);
    expect(feed).toContain('http://127.0.0.1:3999/posts/old-news/');
    expect(sqs.messages).toHaveLength(0);
  });

  it('publish: a newly uploaded post becomes the post edition of the immediate subscribers', async () => {
    await upload(
      'posts/fresh-news.md',
      postFile('Fresh news', new Date(slot.getTime() - 2 * 3_600_000), ['nato']),
    );
    const { handler } = await import('../../../functions/publish.js');
    const report = await handler({
      Records: [
        {
          eventSource: 'aws:s3',
          s3: { bucket: { name: CONTENT_BUCKET }, object: { key: 'posts/fresh-news.md' } },
        },
      ],
    });
    expect(report).toMatchObject({
      trigger: 'content-upload',
      newlyPublished: ['fresh-news'],
      editions: [{ slug: 'fresh-news', ok: true }],
      pending: [],
    });
    expect(sqs.messages.length).toBeGreaterThan(0);
    expect(sqs.messages.every((m) => JSON.parse(m.body).editionId === 'post-fresh-news')).toBe(true);
    // Publishing again finds nothing new and creates nothing.
    const again = await handler({ kind: 'content-deployed', revision: 'r2' });
    expect(again).toMatchObject({ newlyPublished: [], editions: [], written: 0 });
  });

  it('send worker: one mail per immediate subscriber; the same SQS event again sends nothing', async () => {
    const { handler } = await import('../../../functions/send-worker.js');
    const event = sqs.takeEvent();
    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [] });
    for (const s of immediate) expect(ses.sendsByRecipient.get(s.email), s.email).toBe(1);
    for (const s of [...weekly, ...pending]) expect(ses.sendsByRecipient.get(s.email)).toBeUndefined();
    expect(
      ses
        .mails()
        .every((m) => m.configurationSet === 'gazette-events' && m.tags.edition === 'post-fresh-news'),
    ).toBe(true);
    // GetSendQuota was asked once, at cold start.
    expect(ses.counters.calls).toBe(immediate.length + 1);

    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(ses.counters.accepted).toBe(immediate.length);
    expect(await ledger().count('post-fresh-news')).toMatchObject({ sent: 5, unknown: 0, failed: 0 });
  });

  it('send worker: malformed messages are reported as batch item failures', async () => {
    const { handler } = await import('../../../functions/send-worker.js');
    const bad = sqsRecord('bad-1', '{"editionId": "x", "recipients": "all"}');
    const torn = sqsRecord('bad-2', '{"editionId": ');
    const result = await handler({ Records: [bad, torn] }, lambdaContext);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-1', 'bad-2']);
  });

  it('edition: the weekly schedule (fired twice) mails its digest once to the weekly subscribers', async () => {
    const { handler } = await import('../../../functions/edition.js');
    const first = await handler({ cadence: 'weekly', scheduledTime: iso(slot) });
    const second = await handler({ cadence: 'weekly', scheduledTime: iso(slot) });
    expect(first).toMatchObject({ created: true, fanOut: { ok: true, enqueued: 5 } });
    expect(second).toMatchObject({
      editionId: (first as { editionId: string }).editionId,
      created: false,
      fanOut: null,
    });
    const editionId = (first as { editionId: string }).editionId;
    expect(editionId).toMatch(/^weekly-\d{4}-W\d{2}$/);

    const worker = await import('../../../functions/send-worker.js');
    expect(await worker.handler(sqs.takeEvent(), lambdaContext)).toEqual({ batchItemFailures: [] });
    for (const s of weekly) expect(ses.sendsByRecipient.get(s.email), s.email).toBe(1);
    for (const s of immediate) expect(ses.sendsByRecipient.get(s.email), s.email).toBe(1);
    expect(await ledger().count(editionId)).toMatchObject({ sent: 5 });
    // The post of the week that had appeared by the slot; the one published after it waits for the next.
    const edition = await import('../../../adapters/aws/dynamo-edition-store.js').then((m) =>
      new m.DynamoEditionStore(aws.doc, aws.tables.editions).get(editionId),
    );
    expect(edition?.postSlugs).toEqual(['old-news']);
  });

  it('ses-events: a delivery event settles a row left `unknown`', async () => {
    const mail = ses.mails().find((m) => m.to[0] === weekly[0]?.email);
    const reader = weekly[0];
    if (!mail || !reader) throw new Error('no weekly mail');
    const editionId = mail.tags.edition ?? '';
    await ledger().settle(
      editionId,
      reader.id,
      { status: 'unknown', reason: 'test', at: new Date() },
      { fromStatus: 'sent' },
    );
    const notification = {
      eventType: 'Delivery',
      mail: {
        messageId: mail.messageId,
        timestamp: new Date().toISOString(),
        source: 'dispatch@dispatch.example.com',
        destination: [reader.email],
        tags: Object.fromEntries(Object.entries(mail.tags).map(([k, v]) => [k, [v]])),
      },
      delivery: { recipients: [reader.email], timestamp: new Date().toISOString(), smtpResponse: '250 ok' },
    };
    const event = {
      Records: [
        { EventSource: 'aws:sns', Sns: { Type: 'Notification', Message: JSON.stringify(notification) } },
      ],
    } as unknown as SNSEvent;
    const { handler } = await import('../../../functions/ses-events.js');
    const report = await handler(event);
    expect(report).toMatchObject({ processed: 1, deliveriesSettled: 1 });
    const row = (await ledger().getMany(editionId, [reader.id])).get(reader.id);
    expect(row).toMatchObject({ status: 'sent', messageId: mail.messageId });
    // The same event again changes nothing.
    expect(await handler(event)).toMatchObject({ deliveriesSettled: 0 });
  });

  it('refuses events it cannot act on, naming the field', async () => {
    const edition = await import('../../../functions/edition.js');
    await expect(edition.handler({ cadence: 'monthly' })).rejects.toThrow(
      /event: cadence: must be one of daily, weekly/,
    );
    await expect(edition.handler({ cadence: 'weekly', scheduledTime: 'last friday' })).rejects.toThrow(
      /scheduledTime/,
    );
    const publish = await import('../../../functions/publish.js');
    await expect(publish.handler({ kind: 'rebuild-everything' })).rejects.toThrow(
      /event: kind: expected an S3 notification/,
    );
    await expect(publish.handler('publish')).rejects.toThrow(/event: event: not a JSON object/);
  });
});
