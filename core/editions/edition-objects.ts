/**
 * Where an edition's rendered bytes live in the site bucket. `editions/` is left alone by the
 * site publisher, so these survive every publish.
 */

/** The rendered variant (JSON of a RenderedEdition, with placeholders): `editions/<id>/variants/<key>.json`. */
export function variantObjectKey(editionId: string, variantKey: string): string {
  return `editions/${editionId}/variants/${variantKey}.json`;
}

/** The public view-in-browser page of the full edition: `editions/<id>/index.html`. */
export function webCopyObjectKey(editionId: string): string {
  return `editions/${editionId}/index.html`;
}
