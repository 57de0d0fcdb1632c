/**
 * The local AWS of the delivery benchmarks: dynalite in a child process with Gazette's tables,
 * SES stand-in in another, and the audience written once into the subscribers table.
 */
import { randomBytes } from 'node:crypto';
import {
  type AwsClientsConfig,
  createDynamoDbClient,
  createDynamoDocumentClient,
} from '../../adapters/aws/clients.js';
import { createTables } from '../../adapters/aws/create-tables.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { tableNames } from '../../adapters/aws/tables.js';
import type { Subscriber } from '../../core/subscriber.js';
import {
  type ChildService,
  type StandInChild,
  startDynaliteChild,
  startStandInChild,
} from './child-services.js';

export interface BenchAws {
  dynalite: ChildService;
  standIn: StandInChild;
  config: AwsClientsConfig;
  tablePrefix: string;
  tables: ReturnType<typeof tableNames>;
  doc: ReturnType<typeof createDynamoDocumentClient>;
  stop(): Promise<void>;
}

export async function startBenchAws(): Promise<BenchAws> {
  const [dynalite, standIn] = await Promise.all([startDynaliteChild(), startStandInChild()]);
  const config: AwsClientsConfig = {
    region: 'us-east-1',
    endpoints: { dynamodb: dynalite.endpoint, ses: standIn.endpoint },
    connectTimeoutMs: 3_000,
    requestTimeoutMs: 15_000,
    maxAttempts: 3,
    retryMode: 'standard',
  };
  const dynamodb = createDynamoDbClient(config);
  const prefix = `bench-${randomBytes(3).toString('hex')}-`;
  await createTables(dynamodb, prefix);
  const doc = createDynamoDocumentClient(config, dynamodb);
  return {
    dynalite,
    standIn,
    config,
    tablePrefix: prefix,
    tables: tableNames(prefix),
    doc,
    async stop() {
      dynamodb.destroy();
      await Promise.all([dynalite.stop(), standIn.stop()]);
    },
  };
}

/** Writes the audience with the subscriber store's own conditional puts, `parallel` at a time. */
export async function writeAudience(
  aws: BenchAws,
  subscribers: readonly Subscriber[],
  parallel = 32,
): Promise<void> {
  const store = new DynamoSubscriberStore(aws.doc, aws.tables.subscribers);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < subscribers.length) {
        const s = subscribers[next++] as Subscriber;
        const written = await store.create(s);
        if (!written.ok) throw new Error(`subscriber ${s.id}: ${written.reason}`);
      }
    }),
  );
}
