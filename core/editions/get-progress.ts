import type { EditionProgress } from '../edition.js';
import type { Clock, DeliveryLedger, EditionStore } from '../ports.js';

export interface ProgressDeps {
  editions: EditionStore;
  ledger: DeliveryLedger;
  clock: Clock;
}

/**
 * An edition's progress for the editor: planned (what fan-out enqueued), the ledger's counts,
 * queued (planned with no row yet), dead-lettered, and the state. An edition is `done` once
 * fan-out is complete and nothing is queued or in flight; the first time that is seen it is
 * recorded on the edition. `unknown` rows (claimed, maybe sent, never confirmed) count as
 * settled: they are never resent, and SES events turn them into `sent`.
 */
export function createProgressReader(
  deps: ProgressDeps,
): (editionId: string) => Promise<EditionProgress | undefined> {
  return async (editionId) => {
    const edition = await deps.editions.get(editionId);
    if (!edition) return undefined;
    const counts = await deps.ledger.count(editionId);
    const planned = Object.values(edition.shards).reduce((sum, shard) => sum + shard.planned, 0);
    const rows = counts.sending + counts.sent + counts.failed + counts.unknown + counts.skipped;
    const queued = Math.max(0, planned - rows);
    const fanOutComplete = edition.fannedOutAt !== undefined;
    let state = edition.state;
    if (state !== 'done' && fanOutComplete && queued + counts.sending === 0) {
      state = 'done';
      await deps.editions.setState(editionId, 'done', deps.clock.now());
    }
    return {
      editionId,
      state,
      planned,
      sent: counts.sent,
      failed: counts.failed,
      unknown: counts.unknown,
      skipped: counts.skipped,
      sending: counts.sending,
      queued,
      deadLettered: counts.deadLettered,
      fanOutComplete,
    };
  };
}
