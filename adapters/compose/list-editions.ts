import type { EditionProgress, EditionState, EditionTrigger } from '../../core/edition.js';
import { FULL_VARIANT_KEY } from '../../core/editions/match-topics.js';
import type { Cadence } from '../../core/model.js';
import type { EditionStore } from '../../core/ports.js';

/** Most editions one listing returns (each one costs a count of its ledger rows). */
export const MAX_EDITION_LISTING = 100;

/** One edition in the editor's list: what it is and how far it got. */
export interface EditionSummary {
  id: string;
  cadence: Cadence;
  kind: 'digest' | 'post';
  state: EditionState;
  trigger: EditionTrigger;
  createdAt: string;
  windowStart: string;
  windowEnd: string;
  posts: string[];
  /** The subject of the full variant, once fan-out rendered it. */
  subject: string | undefined;
  progress: EditionProgress;
}

/**
 * The newest editions, newest first, each with its progress (read as the progress route reads
 * it, so an edition seen finished here is recorded `done` too). Progress is read for a few
 * editions at a time: each read counts that edition's ledger rows.
 */
export function createEditionLister(deps: {
  editions: EditionStore;
  progress(editionId: string): Promise<EditionProgress | undefined>;
}): (limit: number) => Promise<EditionSummary[]> {
  return async (limit) => {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EDITION_LISTING) {
      throw new RangeError(`limit must be a whole number within 1…${MAX_EDITION_LISTING}, got ${limit}`);
    }
    const editions = await deps.editions.list(limit);
    const out: Array<EditionSummary | undefined> = new Array(editions.length);
    let next = 0;
    const reader = async () => {
      while (next < editions.length) {
        const i = next++;
        const edition = editions[i];
        if (!edition) continue;
        const progress = await deps.progress(edition.id);
        // Gone between the list and the read (erased by hand): leave it out.
        if (!progress) continue;
        out[i] = {
          id: edition.id,
          cadence: edition.cadence,
          kind: edition.kind,
          state: progress.state,
          trigger: edition.trigger,
          createdAt: edition.createdAt,
          windowStart: edition.windowStart,
          windowEnd: edition.windowEnd,
          posts: [...edition.postSlugs],
          subject: edition.variants.find((v) => v.key === FULL_VARIANT_KEY)?.subject,
          progress,
        };
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, editions.length) }, reader));
    return out.filter((s): s is EditionSummary => s !== undefined);
  };
}
