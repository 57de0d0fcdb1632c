/**
 * Per-request personalization of the confirmation mail rendered once. Light, like
 * personalize.ts: no MJML, no Liquid.
 */

import { isEmailAddress } from './check-address.js';
import { checkLink } from './check-link.js';
import { InvalidAddressError } from './errors.js';
import { CONFIRM_PLACEHOLDER, RECIPIENT_PLACEHOLDER } from './placeholders.js';
import type { RenderedConfirmation } from './rendered-mail.js';
import { cutAtMarkers, escapeHtml, joinSpliced, type SplicedText } from './splice.js';

const MARKERS = [CONFIRM_PLACEHOLDER, RECIPIENT_PLACEHOLDER] as const;

/** The confirmation mail cut at its placeholders once. */
export interface CompiledConfirmation {
  readonly subject: string;
  readonly html: SplicedText;
  readonly text: SplicedText;
}

/** Cuts the rendered confirmation mail at its placeholders. */
export function compileConfirmation(rendered: RenderedConfirmation): CompiledConfirmation {
  return {
    subject: rendered.subject,
    html: cutAtMarkers(rendered.html, MARKERS),
    text: cutAtMarkers(rendered.text, MARKERS),
  };
}

/**
 * The confirmation mail for one request: the signed confirm URL and the address it was asked
 * for. Throws InvalidLinkError or InvalidAddressError when either is not what it claims to be.
 */
export function personalizeConfirmation(
  compiled: CompiledConfirmation,
  values: { confirmUrl: string; email: string },
): { subject: string; html: string; text: string } {
  checkLink('confirmUrl', values.confirmUrl);
  if (!isEmailAddress(values.email))
    throw new InvalidAddressError('email', 'not a single plain email address');
  return {
    subject: compiled.subject,
    html: joinSpliced(compiled.html, [escapeHtml(values.confirmUrl), escapeHtml(values.email)]),
    text: joinSpliced(compiled.text, [values.confirmUrl, values.email]),
  };
}
