/**
 * A CPU profile of this process's worker threads (the send worker pool's) around one piece of
 * work: the inspector's NodeWorker domain reaches each thread's own profiler from this thread.
 * Each thread's samples are charged to their callers as profile-owners.ts does for one thread,
 * then added up, so the shares are those of all the send threads' CPU together.
 */
import { Session } from 'node:inspector/promises';
import { chargeToCallers, type HotFunction, hottestFunctions, type OwnerShare } from './profile-owners.js';

type Profile = Parameters<typeof chargeToCallers>[0];

interface WorkerReply {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

export async function profileThreadsByCaller<T>(
  work: () => Promise<T>,
  options: { threadTitle?: RegExp } = {},
): Promise<{ value: T; threads: number; owners: OwnerShare[]; hottest: HotFunction[] }> {
  const session = new Session();
  session.connect();
  const sessions: string[] = [];
  const waiting = new Map<number, (reply: WorkerReply) => void>();
  let seq = 0;
  session.on('NodeWorker.attachedToWorker', (event) => {
    const { sessionId, workerInfo } = event.params as { sessionId: string; workerInfo: { title: string } };
    if (!options.threadTitle || options.threadTitle.test(workerInfo.title)) sessions.push(sessionId);
  });
  session.on('NodeWorker.receivedMessageFromWorker', (event) => {
    const reply = JSON.parse((event.params as { message: string }).message) as WorkerReply;
    if (reply.id === undefined) return;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const ask = async (sessionId: string, method: string, params: object = {}): Promise<unknown> => {
    seq += 1;
    const id = seq;
    const reply = new Promise<WorkerReply>((resolve) => waiting.set(id, resolve));
    await session.post('NodeWorker.sendMessageToWorker', {
      sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    const answered = await reply;
    if (answered.error) throw new Error(`${method} in a worker thread: ${answered.error.message}`);
    return answered.result;
  };
  try {
    await session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    // Attachment events for threads already running arrive right after enable.
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (sessions.length === 0) throw new Error('no worker thread to profile');
    for (const id of sessions) {
      await ask(id, 'Profiler.enable');
      await ask(id, 'Profiler.setSamplingInterval', { interval: 200 });
      await ask(id, 'Profiler.start');
    }
    const value = await work();
    const profiles = await Promise.all(
      sessions.map(async (id) => ((await ask(id, 'Profiler.stop')) as { profile: Profile }).profile),
    );
    return { value, threads: sessions.length, ...combine(profiles) };
  } finally {
    await session.post('NodeWorker.disable').catch(() => undefined);
    session.disconnect();
  }
}

/** Owners and hottest functions of several profiles, weighted by each profile's CPU time. */
function combine(profiles: readonly Profile[]): { owners: OwnerShare[]; hottest: HotFunction[] } {
  const owners = new Map<string, number>();
  const hot = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const shares = chargeToCallers(profile);
    const ms = shares.reduce((n, o) => n + o.ms, 0);
    total += ms;
    for (const o of shares) owners.set(o.owner, (owners.get(o.owner) ?? 0) + o.ms);
    for (const h of hottestFunctions(profile, 30)) hot.set(h.name, (hot.get(h.name) ?? 0) + h.share * ms);
  }
  const share = (ms: number) => (total === 0 ? 0 : ms / total);
  return {
    owners: [...owners].map(([owner, ms]) => ({ owner, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms),
    hottest: [...hot]
      .map(([name, ms]) => ({ name, share: share(ms) }))
      .sort((a, b) => b.share - a.share)
      .slice(0, 8),
  };
}
