import type { EditionProgress } from '../../core/edition.js';
import type { CliIo } from '../command.js';
import type { EditorClient } from './editor-client.js';

/** How often progress is asked for while following an edition. */
export const POLL_INTERVAL_MS = 1_000;

/** Deliveries with an outcome: sent, failed, unknown or skipped. */
export function settled(p: EditionProgress): number {
  return p.sent + p.failed + p.unknown + p.skipped;
}

/**
 * One line of progress: a bar, the share settled, and every count.
 * `[██████████··········]  50%  10 of 20 · sent 9 · failed 1 · unknown 0 · skipped 0 · sending`
 */
export function progressLine(p: EditionProgress, width = 20): string {
  const done = settled(p);
  const share = p.planned === 0 ? (p.fanOutComplete ? 1 : 0) : Math.min(1, done / p.planned);
  const filled = Math.round(share * width);
  const bar = `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}]`;
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const planned = p.fanOutComplete ? `${p.planned}` : `${p.planned}+`;
  const extra = [p.deadLettered > 0 ? `dead-lettered ${p.deadLettered}` : ''].filter(Boolean);
  return [
    `${bar} ${percent}  ${done} of ${planned}`,
    `sent ${p.sent}`,
    `failed ${p.failed}`,
    `unknown ${p.unknown}`,
    `skipped ${p.skipped}`,
    ...extra,
    p.state === 'sending' && !p.fanOutComplete ? 'finding recipients' : p.state,
  ].join(' · ');
}

/**
 * Follows an edition until it is done: on a terminal one line redrawn in place, otherwise a line
 * each time something changes. Returns the last progress, or `interrupted` after Ctrl-C (the
 * edition goes on sending).
 */
export async function followProgress(
  client: EditorClient,
  editionId: string,
  io: CliIo,
  options: { intervalMs?: number | undefined; notFound?: string | undefined } = {},
): Promise<{ progress: EditionProgress; interrupted: boolean }> {
  const interval = options.intervalMs ?? POLL_INTERVAL_MS;
  let stop = false;
  void io.interrupted.then(() => {
    stop = true;
  });
  let last = '';
  let progress: EditionProgress;
  const tty = io.isTTY === true && io.write !== undefined;
  for (;;) {
    progress = await client.json<EditionProgress>('GET', `editor/editions/${encodeURIComponent(editionId)}`, {
      notFound: options.notFound,
    });
    const line = progressLine(progress);
    if (tty) io.write?.(`\r${line}\u001b[K`);
    else if (line !== last) io.stdout(line);
    last = line;
    if (progress.state === 'done' || stop) break;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, interval)), io.interrupted]);
    if (stop) break;
  }
  if (tty) io.write?.('\n');
  return { progress, interrupted: stop && progress.state !== 'done' };
}
