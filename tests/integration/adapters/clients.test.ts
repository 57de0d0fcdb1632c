import { createServer, type Server, type Socket } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetSendQuotaCommand } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsClientsConfig,
  createDynamoDbClient,
  createS3Client,
  createSesClient,
} from '../../../adapters/aws/clients.js';
import { SesMailer } from '../../../adapters/aws/ses-mailer.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws({ clean: false });

/** Accepts TCP connections on 127.0.0.1, reads whatever comes, and never answers. */
let silent: Server;
let connections = 0;
const sockets = new Set<Socket>();
let endpoint: string;

beforeAll(async () => {
  silent = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

function config(maxAttempts: number): AwsClientsConfig {
  return {
    region: 'us-east-1',
    endpoints: { dynamodb: endpoint, s3: endpoint, ses: endpoint },
    connectTimeoutMs: 1_000,
    requestTimeoutMs: 250,
    maxAttempts,
    retryMode: 'standard',
  };
}

async function attemptsOf(call: () => Promise<unknown>): Promise<{ error: unknown; attempts: number }> {
  const before = connections;
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  // Each attempt opens a fresh connection: the silent server never frees the previous one.
  return { error, attempts: connections - before };
}

describe('client timeouts against a server that never answers', () => {
  it('DynamoDB gives up with a TimeoutError after its attempts', async () => {
    const client = createDynamoDbClient(config(2));
    const { error, attempts } = await attemptsOf(() =>
      client.send(new GetItemCommand({ TableName: 't', Key: { k: { S: 'v' } } })),
    );
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(attempts).toBe(2);
    client.destroy();
  });

  it('S3 gives up with a TimeoutError', async () => {
    const client = createS3Client(config(1));
    const { error, attempts } = await attemptsOf(() =>
      client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })),
    );
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(attempts).toBe(1);
    client.destroy();
  });

  it('SES gives up after one attempt, whatever maxAttempts says, flagged maybe sent', async () => {
    const client = createSesClient(config(3));
    const mailer = new SesMailer(client);
    const { error, attempts } = await attemptsOf(() =>
      mailer.send({
        raw: new TextEncoder().encode('Subject: x\r\n\r\nx'),
        from: 'a@example.com',
        to: ['b@example.com'],
        tags: {},
      }),
    );
    expect(error).toMatchObject({ name: 'MailerError', code: 'TimeoutError', maybeSent: true });
    expect(attempts).toBe(1);
    client.destroy();
  });

  it('the SES emulator hangs on actions it lacks; the client timeout ends the wait', async () => {
    const client = createSesClient({ ...aws.config, requestTimeoutMs: 300, maxAttempts: 1 });
    await expect(client.send(new GetSendQuotaCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
    client.destroy();
  });
});

describe('client configuration', () => {
  it('refuses an endpoint that is not a base URL', () => {
    expect(() => createDynamoDbClient({ ...config(1), endpoints: { dynamodb: '127.0.0.1:8000' } })).toThrow(
      /base URL/,
    );
    expect(() => createS3Client({ ...config(1), endpoints: { s3: 'http://127.0.0.1:4568/bucket' } })).toThrow(
      /base URL/,
    );
  });

  it('uses dummy credentials only for services pointed at an emulator', async () => {
    const local = createS3Client({ ...config(1), endpoints: { s3: endpoint } });
    expect((await local.config.credentials()).accessKeyId).toBe('S3RVER');
    expect(await local.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    const real = createS3Client({ ...config(1), endpoints: {} });
    expect(real.config.forcePathStyle).toBe(false);
    expect(await real.config.requestChecksumCalculation()).toBe('WHEN_SUPPORTED');
    local.destroy();
    real.destroy();
  });
});
