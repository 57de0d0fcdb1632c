/**
 * A CPU profile of one piece of work in this process (the inspector's profiler, started and
 * stopped around it, so setup is not in it), with each sample charged to the code that asked
 * for it: native and built-in frames (Buffer, base64, crypto, regular expressions) count for the
 * nearest caller of a package or of this repository. "Node.js 40 %" then becomes "nodemailer
 * 55 %, @smithy/core 20 %": who to ask for a change.
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

const PASS_THROUGH = new Set(['Node.js (built-in modules, native code)', 'V8 and idle']);

/** Runs `work` under the profiler; returns its result and the CPU charged to each owner, largest first. */
export async function profileByCaller<T>(
  work: () => Promise<T>,
): Promise<{ value: T; owners: OwnerShare[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const value = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    return { value, owners: chargeToCallers(profile) };
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
  const ownerFor = (id: number): string => {
    const known = charged.get(id);
    if (known) return known;
    let at: number | undefined = id;
    let owner = 'V8 and idle';
    while (at !== undefined) {
      const node = byId.get(at);
      if (!node) break;
      const o = ownerOf(node.callFrame.functionName, node.callFrame.url, REPO_ROOT);
      if (o === 'garbage collection') {
        owner = o;
        break;
      }
      if (!PASS_THROUGH.has(o)) {
        owner = o;
        break;
      }
      if (owner === 'V8 and idle' && o !== 'V8 and idle') owner = o;
      at = parent.get(at);
    }
    charged.set(id, owner);
    return owner;
  };
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const owner = ownerFor(id);
    if (owner === 'V8 and idle') return;
    totals.set(owner, (totals.get(owner) ?? 0) + us);
    all += us;
  });
  return [...totals]
    .map(([owner, us]) => ({ owner, ms: us / 1000, share: all === 0 ? 0 : us / all }))
    .sort((a, b) => b.ms - a.ms);
}
