/**
 * Per-recipient personalization of an edition rendered once. This module is what the send
 * worker loads: it must stay free of MJML, Liquid and any other heavy dependency.
 */
import type { Publication } from '../model.js';
import { checkLink } from './check-link.js';
import { escapeNonAscii } from './escape-non-ascii.js';
import { PREFERENCES_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER } from './placeholders.js';
import type { RenderedEdition } from './rendered-mail.js';
import { cutAtMarkers, escapeHtml, joinSpliced, type SplicedText } from './splice.js';

const MARKERS = [UNSUBSCRIBE_PLACEHOLDER, PREFERENCES_PLACEHOLDER] as const;

/** An edition cut at its placeholders once, ready to be personalized many times. */
export interface CompiledEdition {
  readonly editionId: string;
  readonly subject: string;
  readonly preheader: string;
  readonly html: SplicedText;
  readonly text: SplicedText;
}

/** The recipient's own links, absolute http(s) URLs. */
export interface RecipientLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/**
 * Cuts the rendered edition at its placeholders; do it once per edition, not per recipient.
 * The HTML is made ASCII first (a no-op for what renderEdition makes; an edition stored by an
 * older version may still hold other characters), so that every recipient's copy is stored one
 * byte per character.
 */
export function compileEdition(rendered: RenderedEdition): CompiledEdition {
  return {
    editionId: rendered.editionId,
    subject: rendered.subject,
    preheader: rendered.preheader,
    html: cutAtMarkers(escapeNonAscii(rendered.html), MARKERS),
    text: cutAtMarkers(rendered.text, MARKERS),
  };
}

/**
 * The edition for one recipient: their links spliced in, HTML-escaped in the html part and as
 * they are in the text part. Throws InvalidLinkError for anything but an http(s) URL.
 */
export function personalize(
  compiled: CompiledEdition,
  links: RecipientLinks,
): { html: string; text: string } {
  checkLink('unsubscribeUrl', links.unsubscribeUrl);
  checkLink('preferencesUrl', links.preferencesUrl);
  const raw = [links.unsubscribeUrl, links.preferencesUrl];
  return {
    html: joinSpliced(compiled.html, [escapeHtml(links.unsubscribeUrl), escapeHtml(links.preferencesUrl)]),
    text: joinSpliced(compiled.text, raw),
  };
}

/**
 * The edition HTML as the public view-in-browser page shows it: both personal links lead to
 * the public subscribe page (`<publication url>subscribe`), so nothing in it belongs to anyone.
 */
export function browserVersion(rendered: RenderedEdition, publication: Pick<Publication, 'url'>): string {
  const subscribe = escapeHtml(`${publication.url}subscribe`);
  return joinSpliced(cutAtMarkers(rendered.html, MARKERS), [subscribe, subscribe]);
}
