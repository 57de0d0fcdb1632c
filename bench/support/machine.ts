import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

/** The machine a benchmark ran on: figures mean little without it. */
export interface Machine {
  /** CPU model from /proc/cpuinfo (or Node's view when that file is missing). */
  cpu: string;
  /** Logical CPUs this process may use (what `nproc` prints). */
  nproc: number;
  /** Total memory, bytes. */
  memoryBytes: number;
  node: string;
  platform: string;
  /** One-minute load average when the run started: the machine may be shared. */
  load1: number;
  /** ISO 8601 instant of the run. */
  date: string;
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim();
    if (model) return model;
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  return 'unknown CPU';
}

export function describeMachine(now: Date = new Date()): Machine {
  return {
    cpu: cpuModel(),
    nproc: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load1: loadavg()[0] ?? 0,
    date: now.toISOString(),
  };
}

/** One line: `AMD EPYC, 2 CPUs (nproc), 23.4 GiB, Node v24.21.0, linux x64, load 1.2; 2026-11-27T…`. */
export function machineLine(machine: Machine): string {
  const gib = (machine.memoryBytes / 2 ** 30).toFixed(1);
  return (
    `${machine.cpu}, ${machine.nproc} CPU${machine.nproc === 1 ? '' : 's'} (nproc), ${gib} GiB memory, ` +
    `Node ${machine.node}, ${machine.platform}, load average ${machine.load1.toFixed(2)} at start; ${machine.date}`
  );
}
