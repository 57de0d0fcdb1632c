import type { EditionState } from '../edition.js';
import type { Clock, EditionStore } from '../ports.js';

export type PauseResult = { ok: true; state: EditionState } | { ok: false; reason: 'missing' | 'done' };

/**
 * Pauses an edition: workers see it within their edition cache time (2 s by default), claim
 * nothing new, and put the messages they get back on the queue with a delay. Deliveries already
 * claimed finish. Pausing a paused edition is a no-op; a done one cannot be paused.
 */
export function createEditionPauser(deps: {
  editions: EditionStore;
  clock: Clock;
}): (id: string) => Promise<PauseResult> {
  return (id) => changeState(deps, id, 'paused');
}

/** Resumes a paused edition: the delayed messages come back and are sent. */
export function createEditionResumer(deps: {
  editions: EditionStore;
  clock: Clock;
}): (id: string) => Promise<PauseResult> {
  return (id) => changeState(deps, id, 'sending');
}

async function changeState(
  deps: { editions: EditionStore; clock: Clock },
  id: string,
  state: 'paused' | 'sending',
): Promise<PauseResult> {
  const edition = await deps.editions.get(id);
  if (!edition) return { ok: false, reason: 'missing' };
  if (edition.state === 'done') return { ok: false, reason: 'done' };
  if (edition.state !== state) await deps.editions.setState(id, state, deps.clock.now());
  return { ok: true, state };
}
