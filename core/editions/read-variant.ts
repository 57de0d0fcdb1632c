import type { RenderedEdition } from '../email/rendered-mail.js';
import type { ObjectStore } from '../ports.js';
import { variantObjectKey } from './edition-objects.js';

/** A stored variant as rendered (placeholders in place), or undefined when it is not stored or unreadable. */
export async function readStoredVariant(
  objects: ObjectStore,
  editionId: string,
  variantKey: string,
): Promise<RenderedEdition | undefined> {
  const object = await objects.get(variantObjectKey(editionId, variantKey));
  if (!object) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(object.body)) as Partial<RenderedEdition>;
    const fields = ['editionId', 'subject', 'preheader', 'html', 'text'] as const;
    return fields.every((f) => typeof parsed[f] === 'string') ? (parsed as RenderedEdition) : undefined;
  } catch {
    return undefined;
  }
}
