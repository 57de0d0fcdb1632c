/**
 * The local AWS for integration tests: `useLocalAws()` starts dynalite, s3rver and
 * aws-ses-v2-local on free ports once per test file, creates every table (unique prefix) and a
 * site bucket, hands out ready-made adapters, and empties tables, bucket and SES store before each
 * test. `startLocalAws()` does the same without vitest hooks (benchmarks, scripts).
 *
 *   const aws = useLocalAws();
 *   it('…', async () => { await aws.subscribers.create(…); expect(await aws.sesEmails()).toHaveLength(1); });
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESClient } from '@aws-sdk/client-ses';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  type AwsClientsConfig,
  createDynamoDbClient,
  createDynamoDocumentClient,
  createS3Client,
  createSesClient,
} from '../../adapters/aws/clients.js';
import { DynamoRateLimiter } from '../../adapters/aws/dynamo-rate-limiter.js';
import { DynamoSubscriberIndex } from '../../adapters/aws/dynamo-subscriber-index.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { DynamoSuppressionList } from '../../adapters/aws/dynamo-suppression-list.js';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.js';
import { SesMailer } from '../../adapters/aws/ses-mailer.js';
import { TABLE_NAMES, TABLES, type TableName, tableNames } from '../../adapters/aws/tables.js';
import { bootstrapLocalAws, type Emulators, startEmulators } from '../../adapters/local/emulators.js';

/** A mail as aws-ses-v2-local keeps it (custom headers are not kept: read the raw MIME instead). */
export interface SesStoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: unknown[];
  /** Epoch seconds. */
  at: number;
}

export interface LocalAws {
  emulators: Emulators;
  endpoints: Emulators['endpoints'];
  /** Client settings pointing at the emulators (short timeouts). */
  config: AwsClientsConfig;
  tablePrefix: string;
  tables: Record<TableName, string>;
  /** The site bucket. */
  bucket: string;
  configurationSetName: string;
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESClient;
  subscribers: DynamoSubscriberStore;
  subscriberIndex: DynamoSubscriberIndex;
  suppressions: DynamoSuppressionList;
  rateLimiter: DynamoRateLimiter;
  objects: S3ObjectStore;
  mailer: SesMailer;
  /** Mail in the SES emulator, oldest first. */
  sesEmails(): Promise<SesStoredEmail[]>;
  /** Empties every table, the bucket and the SES store. */
  reset(): Promise<void>;
  /** Destroys the clients and stops the emulators. */
  close(): Promise<void>;
}

export interface LocalAwsOptions {
  /** dynalite's simulated CREATING time for tables (default 0). */
  tableDelayMs?: number;
}

/** Starts emulators on free ports with tables and a bucket; call `close()` when done. */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const emulators = await startEmulators({
    ports: { dynamodb: 0, s3: 0, ses: 0 },
    tableDelayMs: options.tableDelayMs ?? 0,
  });
  try {
    const id = randomBytes(4).toString('hex');
    const tablePrefix = `test-${id}-`;
    const bucket = `gazette-test-${id}`;
    const config: AwsClientsConfig = {
      region: 'us-east-1',
      endpoints: emulators.endpoints,
      connectTimeoutMs: 2_000,
      requestTimeoutMs: 10_000,
      maxAttempts: 2,
      retryMode: 'standard',
    };
    const dynamodb = createDynamoDbClient(config);
    const doc = createDynamoDocumentClient(config, dynamodb);
    const s3 = createS3Client(config);
    const ses = createSesClient(config);
    await bootstrapLocalAws({ dynamodb, s3, tablePrefix, buckets: [bucket] });
    const tables = tableNames(tablePrefix);
    const configurationSetName = 'gazette-test';

    const sesEmails = async (): Promise<SesStoredEmail[]> => {
      const res = await fetch(`${emulators.endpoints.ses}/store`);
      if (!res.ok) throw new Error(`SES emulator /store answered ${res.status}`);
      return ((await res.json()) as { emails: SesStoredEmail[] }).emails;
    };

    const emptyTable = async (table: TableName) => {
      const def = TABLES[table];
      const keyNames = [def.partitionKey.name, ...('sortKey' in def ? [def.sortKey.name] : [])];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new ScanCommand({
            TableName: tables[table],
            ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '),
            ExpressionAttributeNames: Object.fromEntries(keyNames.map((k, i) => [`#k${i}`, k])),
            ExclusiveStartKey: start,
          }),
        );
        const keys = page.Items ?? [];
        for (let i = 0; i < keys.length; i += 25) {
          let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
          while (requests.length > 0) {
            const res = await doc.send(
              new BatchWriteCommand({ RequestItems: { [tables[table]]: requests } }),
            );
            requests = (res.UnprocessedItems?.[tables[table]] ?? []) as typeof requests;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
    };

    const objects = new S3ObjectStore(s3, bucket);
    const emptyBucket = async () => {
      await objects.delete((await objects.list()).map((o) => o.key));
    };

    const clearSes = async () => {
      const res = await fetch(`${emulators.endpoints.ses}/clear-store`, { method: 'POST' });
      if (!res.ok) throw new Error(`SES emulator /clear-store answered ${res.status}`);
    };

    return {
      emulators,
      endpoints: emulators.endpoints,
      config,
      tablePrefix,
      tables,
      bucket,
      configurationSetName,
      dynamodb,
      doc,
      s3,
      ses,
      subscribers: new DynamoSubscriberStore(doc, tables.subscribers),
      subscriberIndex: new DynamoSubscriberIndex(doc, tables.subscribers),
      suppressions: new DynamoSuppressionList(doc, tables.suppressions),
      rateLimiter: new DynamoRateLimiter(doc, tables.rateLimits),
      objects,
      mailer: new SesMailer(ses, { configurationSetName }),
      sesEmails,
      async reset() {
        await Promise.all([...TABLE_NAMES.map(emptyTable), emptyBucket(), clearSes()]);
      },
      async close() {
        for (const client of [dynamodb, s3, ses]) client.destroy();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

/**
 * Registers vitest hooks for this test file: start once (beforeAll), empty everything before
 * each test unless `clean: false`, stop after all. Read the returned object's fields inside
 * tests or hooks, not at module level (they exist once beforeAll has run).
 */
export function useLocalAws(options: LocalAwsOptions & { clean?: boolean } = {}): LocalAws {
  let current: LocalAws | undefined;
  beforeAll(async () => {
    current = await startLocalAws(options);
  });
  if (options.clean ?? true) {
    beforeEach(async () => {
      await current?.reset();
    });
  }
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as LocalAws, {
    get(_target, property) {
      if (property === 'then') return undefined; // not a promise, whatever `await` asks
      if (!current)
        throw new Error(`useLocalAws: "${String(property)}" read before beforeAll started the emulators`);
      return current[property as keyof LocalAws];
    },
  });
}
