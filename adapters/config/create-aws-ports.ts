import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RateLimiter, SubscriberStore, SuppressionList } from '../../core/ports.js';
import {
  type AwsClientsConfig,
  createDynamoDocumentClient,
  createS3Client,
  createSesClient,
  DEFAULT_CLIENT_TUNING,
} from '../aws/clients.js';
import { DynamoRateLimiter } from '../aws/dynamo-rate-limiter.js';
import { DynamoSubscriberStore } from '../aws/dynamo-subscriber-store.js';
import { DynamoSuppressionList } from '../aws/dynamo-suppression-list.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { SesMailer } from '../aws/ses-mailer.js';
import { tableNames } from '../aws/tables.js';
import type { RuntimeConfig } from './read-runtime-config.js';

/** The SDK client settings for a runtime config: its region, emulator endpoints, default tuning. */
export function clientsConfig(config: RuntimeConfig): AwsClientsConfig {
  return { ...DEFAULT_CLIENT_TUNING, region: config.region, endpoints: config.endpoints };
}

/** The subscriber-side ports on DynamoDB, S3 and SES, as every function wires them. */
export function createAwsSubscriberPorts(config: RuntimeConfig): {
  store: SubscriberStore;
  suppressions: SuppressionList;
  rateLimiter: RateLimiter;
  mailer: SesMailer;
  site: S3ObjectStore;
} {
  const clients = clientsConfig(config);
  const db = createDynamoDocumentClient(clients);
  const tables = tableNames(config.tablePrefix);
  return {
    store: new DynamoSubscriberStore(db, tables.subscribers),
    suppressions: new DynamoSuppressionList(db, tables.suppressions),
    rateLimiter: new DynamoRateLimiter(db, tables.rateLimits),
    mailer: new SesMailer(createSesClient(clients), { configurationSetName: config.sesConfigurationSet }),
    site: new S3ObjectStore(createS3Client(clients), config.siteBucket),
  };
}

/** A Secrets Manager client with the same timeouts as the others. */
export function createSecretsClient(config: RuntimeConfig): SecretsManagerClient {
  const tuning = clientsConfig(config);
  return new SecretsManagerClient({
    region: config.region,
    maxAttempts: tuning.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: tuning.connectTimeoutMs,
      requestTimeout: tuning.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
}
