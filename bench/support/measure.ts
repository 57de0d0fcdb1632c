/** Timing with the monotonic high-resolution clock. */

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `work` once and returns its result and how long it took, in milliseconds. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, ms: msSince(start) };
}

export interface MeasureOptions {
  /** Calls made first and thrown away: JIT compilation, caches, lazy initialisation. */
  warmup: number;
  /** Calls measured. */
  runs: number;
  /** Called before each call (warm-up ones too), outside the timing. */
  before?: (run: number) => Promise<void> | void;
  /** Told about progress, for long benchmarks. */
  progress?: (done: number, total: number) => void;
}

/** Calls `work` `warmup + runs` times and returns the measured durations, in milliseconds. */
export async function measure(
  work: (run: number) => Promise<unknown> | unknown,
  options: MeasureOptions,
): Promise<number[]> {
  const samples: number[] = [];
  const total = options.warmup + options.runs;
  for (let run = 0; run < total; run++) {
    await options.before?.(run);
    const start = process.hrtime.bigint();
    await work(run);
    const ms = msSince(start);
    if (run >= options.warmup) samples.push(ms);
    options.progress?.(run + 1, total);
  }
  return samples;
}

/** CPU milliseconds (user + system, every thread of this process) since `start`. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * {@link measure}, also recording the CPU time of each call. On a shared machine a call of tens
 * of milliseconds is often paused for other processes: its wall time grows, its CPU time does not.
 */
export async function measureWithCpu(
  work: (run: number) => Promise<unknown> | unknown,
  options: MeasureOptions,
): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  const total = options.warmup + options.runs;
  for (let run = 0; run < total; run++) {
    await options.before?.(run);
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    await work(run);
    const ms = msSince(start);
    const cpuMs = cpuMsSince(cpuStart);
    if (run >= options.warmup) {
      wall.push(ms);
      cpu.push(cpuMs);
    }
    options.progress?.(run + 1, total);
  }
  return { wall, cpu };
}
