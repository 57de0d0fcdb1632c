/**
 * SDK clients with explicit timeouts and retries. An SDK client without timeouts waits forever on
 * a peer that never answers (the SES emulator does exactly that for actions it lacks), so every
 * factory here sets them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SendSafeRetryStrategy } from './send-safe-retry-strategy.js';

export interface AwsEndpoints {
  dynamodb?: string | undefined;
  s3?: string | undefined;
  ses?: string | undefined;
}

/** How Gazette talks to AWS or to the local emulators; read from config, never hard-coded. */
export interface AwsClientsConfig {
  region: string;
  /** Emulator endpoints (`http://127.0.0.1:…`); a service without one uses the real AWS endpoint. */
  endpoints?: AwsEndpoints | undefined;
  /** Time allowed to open a TCP connection. */
  connectTimeoutMs: number;
  /** Time allowed for a whole request and its response. */
  requestTimeoutMs: number;
  /** Attempts per call, the first one included (1 = no retry). */
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  /**
   * Connections the client keeps open to one host at most (default 50, the SDK's). Calls beyond
   * it wait for a free socket, so a client carrying more calls in flight than this (a send worker
   * at rate × latency) needs more.
   */
  maxSockets?: number | undefined;
}

/** Sensible settings for Lambda and the local stack; spread them and override what differs. */
export const DEFAULT_CLIENT_TUNING = {
  connectTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
  maxAttempts: 3,
  retryMode: 'standard',
} as const satisfies Partial<AwsClientsConfig>;

/**
 * Credentials the emulators accept: s3rver knows only the key pair `S3RVER`/`S3RVER`; dynalite
 * and the SES emulator check that a signature exists, not what signed it.
 */
const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function common(config: AwsClientsConfig, endpoint: string | undefined) {
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) {
    throw new Error(`AWS endpoint "${endpoint}" must be a base URL such as http://127.0.0.1:4566`);
  }
  return {
    region: config.region,
    maxAttempts: config.maxAttempts,
    retryMode: config.retryMode,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.connectTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Without this the SDK only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
      // Merged by the handler over its keep-alive defaults.
      ...(config.maxSockets !== undefined
        ? { httpAgent: { maxSockets: config.maxSockets }, httpsAgent: { maxSockets: config.maxSockets } }
        : {}),
    }),
    ...(endpoint !== undefined ? { endpoint, credentials: EMULATOR_CREDENTIALS } : {}),
  };
}

export function createDynamoDbClient(config: AwsClientsConfig): DynamoDBClient {
  return new DynamoDBClient(common(config, config.endpoints?.dynamodb));
}

/**
 * A document client over {@link createDynamoDbClient}: plain JS values in and out. Undefined
 * fields are dropped (optional properties of records), so they never reach DynamoDB.
 */
export function createDynamoDocumentClient(
  config: AwsClientsConfig,
  client?: DynamoDBClient,
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client ?? createDynamoDbClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/**
 * With an endpoint (s3rver), path-style addressing and checksums only when an operation requires
 * them: with the SDK's default checksums s3rver answers 200 to a streamed upload and stores
 * corrupted bytes.
 */
export function createS3Client(config: AwsClientsConfig): S3Client {
  const endpoint = config.endpoints?.s3;
  return new S3Client({
    ...common(config, endpoint),
    ...(endpoint !== undefined
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
}

/**
 * SES v1 (SendRawEmail). Retries only what SES certainly did not act on (see
 * {@link SendSafeRetryStrategy}): a retried timeout could send a mail twice.
 */
export function createSesClient(config: AwsClientsConfig): SESClient {
  return new SESClient({
    ...common(config, config.endpoints?.ses),
    retryStrategy: new SendSafeRetryStrategy(config.maxAttempts),
  });
}
