import type { Edition } from '../edition.js';
import type { Clock, EditionStore } from '../ports.js';
import { EditionNotFoundError } from './delivery-errors.js';

/**
 * An edition as one worker sees it, re-read at most every `ttlMs`: the pause flag reaches a
 * running worker within that time, without a store read per recipient.
 */
export function editionCache(
  editions: EditionStore,
  clock: Clock,
  ttlMs: number,
): (id: string) => Promise<Edition> {
  const cache = new Map<string, { at: number; edition: Promise<Edition> }>();
  return (id) => {
    const now = clock.now().getTime();
    const hit = cache.get(id);
    if (hit && now - hit.at < ttlMs) return hit.edition;
    const edition = editions.get(id).then((found) => {
      if (!found) throw new EditionNotFoundError(id);
      return found;
    });
    edition.catch(() => {
      if (cache.get(id)?.edition === edition) cache.delete(id);
    });
    cache.set(id, { at: now, edition });
    if (cache.size > 256) {
      for (const [key, entry] of cache) if (now - entry.at >= ttlMs) cache.delete(key);
    }
    return edition;
  };
}
