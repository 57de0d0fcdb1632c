/** What rendering hands to delivery: plain data, stored once, personalized per recipient. */

/** Template file name (relative to `templates/email/`, `/`-separated) → its text. */
export type EmailTemplates = Record<string, string>;

/**
 * One edition rendered once. `html` and `text` hold the unsubscribe and preferences
 * placeholders (see placeholders.ts) where each recipient's own links go.
 */
export interface RenderedEdition {
  editionId: string;
  /** Plain text, one line, no control characters. */
  subject: string;
  /** The hidden preview line shown by mail clients after the subject. */
  preheader: string;
  html: string;
  text: string;
}

/** The double opt-in mail rendered once, with placeholders for the confirm URL and the address. */
export interface RenderedConfirmation {
  subject: string;
  html: string;
  text: string;
}
