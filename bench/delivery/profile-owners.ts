/**
 * A CPU profile of one piece of work in this process (the inspector's profiler, started and
 * stopped around it, so setup is not in it), with each sample charged to the code that asked
 * for it: native and built-in frames (Buffer, base64, crypto, regular expressions) count for the
 * nearest caller of a package or of this repository, so a share names who to ask for a change.
 * Built-in work with no package on its stack (stream plumbing run from the event loop, socket
 * reads and writes, timers) is the event loop's.
 */
import { Session } from 'node:inspector/promises';
import { ownerOf } from '../support/cpu-profile.js';
import { REPO_ROOT } from '../support/paths.js';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export interface OwnerShare {
  owner: string;
  ms: number;
  share: number;
}

const NODE = 'Node.js (built-in modules, native code)';
/** Work no package asked for on the stack: the event loop running streams, sockets and timers. */
const EVENT_LOOP = 'Node.js event loop (streams, sockets, timers; no package on the stack)';

/** One function's own time (self time, no callees), named `function (package or file)`. */
export interface HotFunction {
  name: string;
  share: number;
}

/** Runs `work` under the profiler; returns its result, the CPU charged to each owner, and the hottest functions. */
export async function profileByCaller<T>(
  work: () => Promise<T>,
): Promise<{ value: T; owners: OwnerShare[]; hottest: HotFunction[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const value = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    return { value, owners: chargeToCallers(profile), hottest: hottestFunctions(profile) };
  } finally {
    session.disconnect();
  }
}

export function chargeToCallers(profile: Profile): OwnerShare[] {
  const parent = new Map<number, number>();
  const byId = new Map<number, Node>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const charged = new Map<number, string>();
  const ownerFor = (id: number): string | undefined => {
    const known = charged.get(id);
    if (known !== undefined) return known;
    const leaf = byId.get(id);
    if (!leaf) return undefined;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') return undefined;
    let owner: string;
    if (name === '(garbage collector)' || name === '(program)') {
      owner = ownerOf(name, leaf.callFrame.url, REPO_ROOT);
    } else {
      owner = EVENT_LOOP;
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const node = byId.get(at);
        if (!node || node.callFrame.functionName === '(root)') break;
        const o = ownerOf(node.callFrame.functionName, node.callFrame.url, REPO_ROOT);
        if (o !== NODE) {
          owner = o;
          break;
        }
      }
    }
    charged.set(id, owner);
    return owner;
  };
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const owner = ownerFor(id);
    if (owner === undefined) return;
    totals.set(owner, (totals.get(owner) ?? 0) + us);
    all += us;
  });
  return [...totals]
    .map(([owner, us]) => ({ owner, ms: us / 1000, share: all === 0 ? 0 : us / all }))
    .sort((a, b) => b.ms - a.ms);
}

/** The functions with the most self time (idle left out), largest first. */
export function hottestFunctions(profile: Profile, count = 8): HotFunction[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    const { functionName, url } = node.callFrame;
    const where = ownerOf(functionName, url, REPO_ROOT);
    const name = `${functionName || '(anonymous)'} (${where})`;
    const us = profile.timeDeltas[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + us);
    all += us;
  });
  return [...self]
    .map(([name, us]) => ({ name, share: all === 0 ? 0 : us / all }))
    .sort((a, b) => b.share - a.share)
    .slice(0, count);
}
