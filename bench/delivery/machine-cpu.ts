/**
 * How busy the whole machine's CPUs were over a stretch of time, from /proc/stat: every process
 * counts, the benchmark's and everyone else's on a shared machine. A rate missed while the
 * machine had no idle core left says the CPUs were the limit, not the code.
 */
import { readFileSync } from 'node:fs';

interface CpuTimes {
  busy: number;
  total: number;
}

function readCpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guests are in user)
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((n, v) => n + v, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Starts counting; `stop()` answers the busy CPUs over the stretch (2 = both of two cores), or undefined off Linux. */
export function machineCpu(cpus: number): { stop(): number | undefined } {
  const start = readCpuTimes();
  return {
    stop() {
      const end = readCpuTimes();
      if (!start || !end || end.total === start.total) return undefined;
      return ((end.busy - start.busy) / (end.total - start.total)) * cpus;
    },
  };
}
