import { compileEdition, personalize } from '../email/personalize.js';
import type { RenderedEdition } from '../email/rendered-mail.js';
import type { Publication } from '../model.js';

/**
 * An edition as nobody in particular gets it (previews and test sends): the unsubscribe and
 * preferences links lead to those pages without a token, so clicking them changes nobody's
 * subscription.
 */
export function nonPersonalCopy(
  rendered: RenderedEdition,
  publication: Pick<Publication, 'url'>,
): { html: string; text: string; unsubscribeUrl: string; preferencesUrl: string } {
  const unsubscribeUrl = new URL('unsubscribe', publication.url).toString();
  const preferencesUrl = new URL('preferences', publication.url).toString();
  return {
    ...personalize(compileEdition(rendered), { unsubscribeUrl, preferencesUrl }),
    unsubscribeUrl,
    preferencesUrl,
  };
}
