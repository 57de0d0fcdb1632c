import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AwsClientsConfig,
  createDynamoDbClient,
  createS3Client,
} from '../../../adapters/aws/clients.js';
import { createTables } from '../../../adapters/aws/create-tables.js';
import { S3ObjectStore } from '../../../adapters/aws/s3-object-store.js';
import { TABLE_NAMES, tableNames } from '../../../adapters/aws/tables.js';
import {
  bootstrapLocalAws,
  type Emulators,
  PortInUseError,
  StateDirInUseError,
  startEmulators,
} from '../../../adapters/local/emulators.js';

const FREE = { dynamodb: 0, s3: 0, ses: 0 };
const running: Emulators[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startEmulators>[0]) {
  const emulators = await startEmulators(options);
  running.push(emulators);
  return emulators;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-emulators-test-'));
  dirs.push(dir);
  return dir;
}

function clientConfig(e: Emulators): AwsClientsConfig {
  return {
    region: 'us-east-1',
    endpoints: e.endpoints,
    connectTimeoutMs: 1_000,
    requestTimeoutMs: 5_000,
    maxAttempts: 1,
    retryMode: 'standard',
  };
}

const portOf = (url: string) => Number(new URL(url).port);

function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    }),
  );
}

/** True when something accepts TCP connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

const tcpServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

/**
 * Server handles leave Node's list of active resources a moment after their close callback; wait
 * for the count to reach `expected` (or give up after 2 s and return what it is).
 */
async function tcpServersSettledAt(expected: number): Promise<number> {
  for (let waited = 0; waited < 2_000 && tcpServers() !== expected; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return tcpServers();
}

/** The count once handles closed by earlier tests are gone. */
async function settledTcpServers(): Promise<number> {
  let last = -1;
  for (let i = 0; i < 100 && tcpServers() !== last; i++) {
    last = tcpServers();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return tcpServers();
}

describe('startEmulators', () => {
  it('starts the three emulators on 127.0.0.1 and reports its start time', async () => {
    const e = await start({ ports: FREE });
    for (const url of Object.values(e.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(Object.values(e.endpoints)).size).toBe(3);
    expect(e.startupMs).toBeGreaterThanOrEqual(0);
    console.info(`emulators started in ${e.startupMs} ms`);
    const health = await fetch(`${e.endpoints.ses}/health-check`);
    expect(health.status).toBe(200);
  });

  it('stops leaving no listening port and no server handle, and stop() can be called twice', async () => {
    const before = await settledTcpServers();
    const e = await startEmulators({ ports: FREE });
    const ports = Object.values(e.endpoints).map(portOf);
    // Keep-alive connections from a client must not hold the stop up.
    const client = createDynamoDbClient(clientConfig(e));
    await createTables(client, 'stop-', { tables: ['suppressions'] });
    await e.stop();
    await e.stop();
    for (const port of ports) expect(await listening(port)).toBe(false);
    expect(await tcpServersSettledAt(before)).toBe(before);
    client.destroy();
  });

  it.each([
    ['dynamodb', 'DynamoDB'],
    ['s3', 'S3'],
    ['ses', 'SES'],
  ] as const)('names the service and port when the %s port is taken', async (service, label) => {
    const { server, port } = await occupy();
    try {
      const before = await settledTcpServers();
      const error = await startEmulators({ ports: { ...FREE, [service]: port } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error).toMatchObject({ service, port, host: '127.0.0.1' });
      expect((error as Error).message).toBe(
        `port ${port} for ${label} is in use on 127.0.0.1: stop the other process or choose another port (0 picks a free one)`,
      );
      expect(await tcpServersSettledAt(before)).toBe(before);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a port number that is not one', async () => {
    await expect(startEmulators({ ports: { ...FREE, s3: 70_000 } })).rejects.toThrow(/port 70000 for S3/);
  });

  it('keeps tables, items and objects in the state folder across a restart', async () => {
    const stateDir = tempDir();
    const first = await start({ stateDir, ports: FREE });
    let dynamodb = createDynamoDbClient(clientConfig(first));
    let s3 = createS3Client(clientConfig(first));
    await bootstrapLocalAws({ dynamodb, s3, tablePrefix: 'dev-', buckets: ['dev-site'] });
    const table = tableNames('dev-').suppressions;
    await dynamodb.send(
      new PutItemCommand({ TableName: table, Item: { emailKey: { S: 'k1' }, reason: { S: 'bounce' } } }),
    );
    await new S3ObjectStore(s3, 'dev-site').put('feed.xml', '<rss/>', { contentType: 'application/rss+xml' });
    dynamodb.destroy();
    s3.destroy();
    await first.stop();

    const second = await start({ stateDir, ports: FREE });
    dynamodb = createDynamoDbClient(clientConfig(second));
    s3 = createS3Client(clientConfig(second));
    const again = await bootstrapLocalAws({ dynamodb, s3, tablePrefix: 'dev-', buckets: ['dev-site'] });
    expect(again.tables.created).toEqual([]);
    expect(again.bucketsCreated).toEqual([]);
    const item = await dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { emailKey: { S: 'k1' } } }),
    );
    expect(item.Item?.reason).toEqual({ S: 'bounce' });
    const object = await new S3ObjectStore(s3, 'dev-site').get('feed.xml');
    expect(Buffer.from(object!.body).toString()).toBe('<rss/>');
    dynamodb.destroy();
    s3.destroy();
  });

  it('starts empty without a state folder, and removes its temporary S3 folder on stop', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('gazette-s3-')));
    const e = await startEmulators({ ports: FREE });
    const mine = readdirSync(tmpdir()).filter((n) => n.startsWith('gazette-s3-') && !before.has(n));
    expect(mine).toHaveLength(1);
    const dynamodb = createDynamoDbClient(clientConfig(e));
    const created = await createTables(dynamodb, 'dev-');
    expect(created.existing).toEqual([]);
    dynamodb.destroy();
    await e.stop();
    expect(existsSync(join(tmpdir(), mine[0]!))).toBe(false);
  });

  it('refuses a state folder another running process holds, and takes over a stale lock', async () => {
    const stateDir = tempDir();
    await start({ stateDir, ports: FREE });
    const error = await startEmulators({ stateDir, ports: FREE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateDirInUseError);
    expect((error as Error).message).toContain(`process ${process.pid}`);
    await running.pop()!.stop();

    // A lock left by a process that has exited.
    const gone = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(stateDir, 'emulators.pid'), gone);
    await expect(start({ stateDir, ports: FREE })).resolves.toBeDefined();
  });
});

describe('bootstrapLocalAws and createTables', () => {
  it('creates every table and bucket once, and reports what already existed', async () => {
    const e = await start({ ports: FREE });
    const dynamodb = createDynamoDbClient(clientConfig(e));
    const s3 = createS3Client(clientConfig(e));
    const first = await bootstrapLocalAws({
      dynamodb,
      s3,
      tablePrefix: 'gazette-dev-',
      buckets: ['site', 'content'],
    });
    const names = Object.values(tableNames('gazette-dev-')).sort();
    expect(first.tables).toEqual({ created: names, existing: [] });
    expect(first.bucketsCreated).toEqual(['site', 'content']);
    const second = await bootstrapLocalAws({
      dynamodb,
      s3,
      tablePrefix: 'gazette-dev-',
      buckets: ['site', 'content'],
    });
    expect(second.tables).toEqual({ created: [], existing: names });
    expect(second.bucketsCreated).toEqual([]);
    dynamodb.destroy();
    s3.destroy();
  });

  it('waits until tables and their indexes are ACTIVE', async () => {
    const e = await start({ ports: FREE, tableDelayMs: 300 });
    const dynamodb = createDynamoDbClient(clientConfig(e));
    await createTables(dynamodb, 'slow-');
    for (const table of TABLE_NAMES) {
      const d = await dynamodb.send(new DescribeTableCommand({ TableName: tableNames('slow-')[table] }));
      expect(d.Table?.TableStatus).toBe('ACTIVE');
      for (const index of d.Table?.GlobalSecondaryIndexes ?? []) expect(index.IndexStatus).toBe('ACTIVE');
    }
    dynamodb.destroy();
  });

  it('gives up with a clear error when a table stays CREATING', async () => {
    const e = await start({ ports: FREE, tableDelayMs: 5_000 });
    const dynamodb = createDynamoDbClient(clientConfig(e));
    await expect(createTables(dynamodb, 'stuck-', { tables: ['editions'], timeoutMs: 200 })).rejects.toThrow(
      /stuck-editions is CREATING, not ACTIVE/,
    );
    dynamodb.destroy();
  });
});
