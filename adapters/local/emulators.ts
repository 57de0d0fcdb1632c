/**
 * The local AWS: dynalite (DynamoDB), s3rver (S3) and aws-ses-v2-local (SES), all started inside
 * this process on 127.0.0.1, so that nothing outlives it. The packages load only when
 * {@link startEmulators} runs, so importing this module costs nothing on AWS.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  NotFound,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type CreateTablesResult, createTables } from '../aws/create-tables.js';

export type EmulatedService = 'dynamodb' | 's3' | 'ses';

const SERVICE_LABEL: Record<EmulatedService, string> = { dynamodb: 'DynamoDB', s3: 'S3', ses: 'SES' };

/** The ports each emulator's own tooling documents; 0 asks the system for a free one. */
export const DEFAULT_EMULATOR_PORTS: Readonly<Record<EmulatedService, number>> = {
  dynamodb: 8000,
  s3: 4568,
  ses: 8005,
};

export interface EmulatorOptions {
  /** Folder for DynamoDB and S3 data, kept across runs; undefined = in memory / a temp folder. */
  stateDir?: string | undefined;
  host?: '127.0.0.1';
  /** Per service; missing = {@link DEFAULT_EMULATOR_PORTS}; 0 = any free port. */
  ports?: { dynamodb?: number | undefined; s3?: number | undefined; ses?: number | undefined } | undefined;
  /** How long dynalite keeps a new table CREATING (real DynamoDB takes seconds); default 0. */
  tableDelayMs?: number | undefined;
}

export interface Emulators {
  endpoints: Record<EmulatedService, string>;
  /** Milliseconds from the call to all three listening. */
  startupMs: number;
  /** Closes the servers and their connections, then the database; safe to call twice. */
  stop(): Promise<void>;
}

/** A port an emulator needs is taken. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly service: EmulatedService,
    readonly port: number,
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super(
      `port ${port} for ${SERVICE_LABEL[service]} is in use on ${host}: stop the other process or choose another port (0 picks a free one)`,
      options,
    );
  }
}

/** Another running process already uses the state folder. */
export class StateDirInUseError extends Error {
  override readonly name = 'StateDirInUseError';
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(
      `the state folder ${stateDir} is in use by process ${pid}: stop it, or use another folder (or --fresh)`,
    );
  }
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;
interface S3rverApp {
  callback(): Parameters<typeof createServer>[1];
  logger?: { close?: () => void };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverApp;
type SesServerFactory = (config: { host: string; port: number }) => Promise<Server>;

const require = createRequire(import.meta.url);

/**
 * Starts the three emulators. SES keeps its mail in memory (this process's module state, shared
 * by every instance in the process); Gazette's own outbox (LocalOutbox) is the durable record.
 *
 * @throws PortInUseError naming the service and port; StateDirInUseError when another process
 *   runs on the same state folder. Whatever had started is stopped before the error is thrown.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const startedAt = performance.now();
  const host = options.host ?? '127.0.0.1';
  const ports = {
    dynamodb: options.ports?.dynamodb ?? DEFAULT_EMULATOR_PORTS.dynamodb,
    s3: options.ports?.s3 ?? DEFAULT_EMULATOR_PORTS.s3,
    ses: options.ports?.ses ?? DEFAULT_EMULATOR_PORTS.ses,
  };
  for (const [service, port] of Object.entries(ports)) {
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new RangeError(`port ${port} for ${SERVICE_LABEL[service as EmulatedService]} is not a TCP port`);
    }
  }
  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'some emulators did not stop cleanly');
  };

  try {
    // Fail on taken ports before touching any state.
    for (const service of ['dynamodb', 's3', 'ses'] as const)
      await assertPortFree(service, ports[service], host);

    let s3Dir: string;
    let dynamoDir: string | undefined;
    if (options.stateDir !== undefined) {
      mkdirSync(options.stateDir, { recursive: true });
      cleanups.push(lockStateDir(options.stateDir));
      dynamoDir = join(options.stateDir, 'dynamodb');
      s3Dir = join(options.stateDir, 's3');
      mkdirSync(dynamoDir, { recursive: true });
      mkdirSync(s3Dir, { recursive: true });
    } else {
      s3Dir = mkdtempSync(join(tmpdir(), 'gazette-s3-'));
      const removeTemp = () => rmSync(s3Dir, { recursive: true, force: true });
      process.once('exit', removeTemp);
      cleanups.push(() => {
        process.off('exit', removeTemp);
        removeTemp();
      });
    }

    const dynalite = require('dynalite') as DynaliteFactory;
    const delay = options.tableDelayMs ?? 0;
    const dynamoServer = dynalite({
      ...(dynamoDir !== undefined ? { path: dynamoDir } : {}),
      createTableMs: delay,
      deleteTableMs: delay,
      updateTableMs: delay,
    });
    const dynamoPort = await listen(dynamoServer, 'dynamodb', ports.dynamodb, host);
    cleanups.push(() => closeServer(dynamoServer));

    const S3rver = require('s3rver') as S3rverClass;
    const s3App = new S3rver({ directory: s3Dir, silent: true, vhostBuckets: false, resetOnClose: false });
    const s3Server = createServer(s3App.callback());
    const s3Port = await listen(s3Server, 's3', ports.s3, host);
    cleanups.push(async () => {
      await closeServer(s3Server);
      s3App.logger?.close?.();
    });

    const sesServer = (require('aws-ses-v2-local') as { default: SesServerFactory }).default;
    const ses = await sesServer({ host, port: ports.ses });
    // Its listen() reports a failure only by not listening.
    if (!ses.listening) throw new PortInUseError('ses', ports.ses, host);
    cleanups.push(() => closeServer(ses));
    const sesPort = (ses.address() as AddressInfo).port;

    let stopping: Promise<void> | undefined;
    return {
      endpoints: {
        dynamodb: `http://${host}:${dynamoPort}`,
        s3: `http://${host}:${s3Port}`,
        ses: `http://${host}:${sesPort}`,
      },
      startupMs: Math.round(performance.now() - startedAt),
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}

function listen(server: Server, service: EmulatedService, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(service, port, host, { cause: error }) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

async function assertPortFree(service: EmulatedService, port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, service, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    // SDK clients keep connections alive; close() alone would wait for them to idle out.
    server.closeAllConnections();
  });
}

/** A pid file: leveldb's own lock would only surface as a crash on the first request. */
function lockStateDir(stateDir: string): () => void {
  const path = join(stateDir, 'emulators.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new StateDirInUseError(stateDir, pid);
      rmSync(path, { force: true }); // left by a process that died
    }
  }
  throw new Error(`could not lock the state folder ${stateDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface BootstrapResult {
  tables: CreateTablesResult;
  bucketsCreated: string[];
}

/**
 * Creates what the local stack needs and does not have yet: every table (from tables.ts, under
 * `tablePrefix`) and the given buckets. Idempotent, so it runs on every start.
 */
export async function bootstrapLocalAws(options: {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  tablePrefix: string;
  buckets: readonly string[];
}): Promise<BootstrapResult> {
  const [tables, bucketsCreated] = await Promise.all([
    createTables(options.dynamodb, options.tablePrefix),
    Promise.all(options.buckets.map((bucket) => ensureBucket(options.s3, bucket))).then((made) =>
      options.buckets.filter((_, i) => made[i]),
    ),
  ]);
  return { tables, bucketsCreated };
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (error) {
    if (!(error instanceof NotFound) && (error as { name?: string }).name !== 'NotFound') throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (error instanceof BucketAlreadyOwnedByYou) return false;
    throw error;
  }
}
