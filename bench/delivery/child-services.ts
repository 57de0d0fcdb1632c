/**
 * The services a delivery benchmark talks to, each in its own child process so that its CPU is
 * not the worker's: dynalite through its own CLI, and the SES stand-in (bench/delivery/
 * stand-in-child.ts), driven over Node's IPC channel.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { SesStandInOptions } from '../../tests/support/ses-stand-in.js';
import { tsxImport } from '../support/child-process.js';
import { REPO_ROOT } from '../support/paths.js';

export interface ChildService {
  endpoint: string;
  pid: number;
  /** CPU seconds the child used so far (user + system), from /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (dynalite's CLI takes a port, not 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** User + system CPU seconds of a process, from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const require = createRequire(import.meta.url);

/** dynalite in memory, from its CLI, in a child process with its own core. */
export async function startDynaliteChild(): Promise<ChildService> {
  const port = await freePort();
  const cli = join(require.resolve('dynalite/package.json'), '..', 'cli.js');
  const child = spawn(
    process.execPath,
    [cli, '--port', String(port), '--host', '127.0.0.1', '--createTableMs', '0', '--deleteTableMs', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('listening')) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code} before listening: ${out}`)));
    child.once('error', reject);
  });
  child.stdout?.resume();
  child.stderr?.resume();
  const pid = child.pid ?? 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    stop: () => stopChild(child),
  };
}

/** What the stand-in child reports. */
export interface StandInStats {
  calls: number;
  accepted: number;
  throttled: number;
  serverErrors: number;
  /** Distinct recipients that got at least one mail. */
  recipients: number;
  /** Mails beyond the first per recipient: must be 0. */
  duplicates: number;
  maxConcurrency: number;
}

export interface StandInChild extends ChildService {
  configure(
    options: Omit<SesStandInOptions, 'keepRaw' | 'random' | 'latencyMs'> & { latencyMs?: number },
  ): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<StandInStats>;
}

/** The SES stand-in of tests/support in a child process (raw bytes not kept), driven over IPC. */
export async function startStandInChild(): Promise<StandInChild> {
  const child = fork(join(REPO_ROOT, 'bench/delivery/stand-in-child.ts'), [], {
    execArgv: tsxImport(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on('message', (message: { id: number; result: unknown }) => {
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  const call = <T>(command: string, args?: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      seq += 1;
      waiting.set(seq, resolve as (value: unknown) => void);
      child.send({ id: seq, command, args }, (error) => error && reject(error));
    });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { endpoint?: string }) =>
      m.endpoint ? resolve(m.endpoint) : reject(new Error('no endpoint')),
    );
    child.once('exit', (code) => reject(new Error(`the SES stand-in exited with ${code}`)));
  });
  const pid = child.pid ?? 0;
  return {
    endpoint,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    configure: (options) => call('configure', options),
    reset: () => call('reset'),
    stats: () => call<StandInStats>('stats'),
    stop: () => stopChild(child),
  };
}
