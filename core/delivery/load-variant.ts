import { variantObjectKey } from '../editions/edition-objects.js';
import { type CompiledEdition, compileEdition } from '../email/personalize.js';
import type { RenderedEdition } from '../email/rendered-mail.js';
import type { ObjectStore } from '../ports.js';
import { VariantUnavailableError } from './delivery-errors.js';

/**
 * Reads a stored variant (JSON of a RenderedEdition) and cuts it at its placeholders. Throws
 * VariantUnavailableError when it is missing or is not a rendered edition of that id.
 */
export async function loadVariant(
  objects: ObjectStore,
  editionId: string,
  variantKey: string,
): Promise<CompiledEdition> {
  const key = variantObjectKey(editionId, variantKey);
  const object = await objects.get(key);
  if (!object) throw new VariantUnavailableError(key, 'not in the object store');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(object.body));
  } catch (error) {
    throw new VariantUnavailableError(key, 'not JSON', { cause: error });
  }
  const r = parsed as Partial<RenderedEdition> | null;
  for (const field of ['editionId', 'subject', 'preheader', 'html', 'text'] as const) {
    if (typeof r?.[field] !== 'string') throw new VariantUnavailableError(key, `${field} is not a string`);
  }
  const rendered = r as RenderedEdition;
  if (rendered.editionId !== editionId) {
    throw new VariantUnavailableError(key, `holds edition ${JSON.stringify(rendered.editionId)}`);
  }
  return compileEdition(rendered);
}

/**
 * Compiled variants kept by one worker, loaded once each: concurrent asks share one load, a
 * failed load is forgotten (the next message tries again), and at most `max` stay cached.
 */
export function variantCache(
  objects: ObjectStore,
  max = 64,
): (editionId: string, variantKey: string) => Promise<CompiledEdition> {
  const cache = new Map<string, Promise<CompiledEdition>>();
  return (editionId, variantKey) => {
    const id = `${editionId}/${variantKey}`;
    let loading = cache.get(id);
    if (!loading) {
      loading = loadVariant(objects, editionId, variantKey);
      cache.set(id, loading);
      const mine = loading;
      mine.catch(() => {
        if (cache.get(id) === mine) cache.delete(id);
      });
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    return loading;
  };
}
