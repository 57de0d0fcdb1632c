/**
 * The delivery engine's ports on DynamoDB, S3, SQS and SES, as every function wires them (the
 * pattern of create-aws-ports.ts). Signer, clock, sleeper and logger are the caller's: they
 * differ per function (the signing keys come from Secrets Manager, the sleeper may carry a
 * deadline).
 */
import type { SESClient } from '@aws-sdk/client-ses';
import type { SendBatch } from '../../core/edition.js';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { createDynamoDocumentClient, createS3Client, createSesClient } from '../aws/clients.js';
import { DynamoDeliveryLedger } from '../aws/dynamo-delivery-ledger.js';
import { DynamoEditionStore } from '../aws/dynamo-edition-store.js';
import { DynamoSubscriberIndex } from '../aws/dynamo-subscriber-index.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { SesMailer } from '../aws/ses-mailer.js';
import { createSqsClient, SqsQueue } from '../aws/sqs-queue.js';
import { tableNames } from '../aws/tables.js';
import { clientsConfig } from '../config/create-aws-ports.js';
import type { RuntimeConfig } from '../config/read-runtime-config.js';

/** The stores of the delivery engine: what reading progress and settling deliveries need. */
export interface AwsDeliveryStores {
  editions: DynamoEditionStore;
  ledger: DynamoDeliveryLedger;
  subscribers: DynamoSubscriberIndex;
  /** The site bucket (rendered variants, web copies). */
  objects: S3ObjectStore;
}

/** The stores plus the send queue and SES. */
export interface AwsDeliveryPorts extends AwsDeliveryStores {
  queue: SqsQueue<SendBatch>;
  mailer: SesMailer;
  /** The SES client the mailer uses (GetSendQuota at a send worker's cold start). */
  ses: SESClient;
}

/** DynamoDB and S3 stores of the delivery engine, from the runtime config. */
export function createAwsDeliveryStores(config: RuntimeConfig): AwsDeliveryStores {
  const clients = clientsConfig(config);
  const db = createDynamoDocumentClient(clients);
  const tables = tableNames(config.tablePrefix);
  return {
    editions: new DynamoEditionStore(db, tables.editions),
    ledger: new DynamoDeliveryLedger(db, tables.deliveries),
    subscribers: new DynamoSubscriberIndex(db, tables.subscribers),
    objects: new S3ObjectStore(createS3Client(clients), config.siteBucket),
  };
}

/**
 * Every AWS port of the delivery engine. Needs `queueUrl` (a ConfigError names the variable
 * when it is missing); the SES configuration set is attached to every mail when configured.
 */
export function createAwsDeliveryPorts(
  config: RuntimeConfig,
  options: { logger?: Logger | undefined } = {},
): AwsDeliveryPorts {
  if (!config.queueUrl) throw new ConfigError(['GAZETTE_QUEUE_URL is not set (the send queue)']);
  const clients = clientsConfig(config);
  const ses = createSesClient(clients);
  return {
    ...createAwsDeliveryStores(config),
    queue: new SqsQueue<SendBatch>({
      client: createSqsClient(clients),
      queueUrl: config.queueUrl,
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    mailer: new SesMailer(ses, { configurationSetName: config.sesConfigurationSet }),
    ses,
  };
}
