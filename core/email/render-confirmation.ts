import { TemplateError } from '../errors.js';
import type { Publication } from '../model.js';
import { toHeaderText } from './header-text.js';
import { pageData, publicationData } from './mail-data.js';
import { CONFIRM_PLACEHOLDER, neutralizePlaceholders, RECIPIENT_PLACEHOLDER } from './placeholders.js';
import { renderMail } from './render-mail.js';
import type { EmailTemplates, RenderedConfirmation } from './rendered-mail.js';

export interface RenderConfirmationInput {
  publication: Publication;
  templates: EmailTemplates;
  /** How long the confirm link works, said in the mail when given. */
  validForDays?: number | undefined;
}

/**
 * Renders the double opt-in mail (templates `confirm`) ONCE, with placeholders for the signed
 * confirm URL and the address it was requested for; {@link personalizeConfirmation}
 * (personalize-confirmation.ts) fills them per request. Throws TemplateError when a template
 * does not render or leaves out the confirm link or the address.
 */
export async function renderConfirmation(input: RenderConfirmationInput): Promise<RenderedConfirmation> {
  const { publication, templates, validForDays } = input;
  const subject = neutralizePlaceholders(`Confirm your subscription to ${toHeaderText(publication.title)}`);
  const preheader = 'One click and you are subscribed. If you did not ask for this, ignore this email.';
  const data = {
    page: pageData(publication, subject, preheader),
    publication: publicationData(publication),
    confirmation: { validForDays: validForDays ?? null },
    recipient: { email: RECIPIENT_PLACEHOLDER },
    links: { confirm: CONFIRM_PLACEHOLDER },
  };
  const { html, text } = await renderMail(templates, 'confirm', data);
  for (const [file, body] of [
    ['confirm.mjml', html],
    ['confirm.txt.liquid', text],
  ] as const) {
    if (!body.includes(CONFIRM_PLACEHOLDER))
      throw new TemplateError(`${file}: no confirm link ({{ links.confirm }})`);
    if (!body.includes(RECIPIENT_PLACEHOLDER))
      throw new TemplateError(`${file}: the address is not named ({{ recipient.email }})`);
  }
  return { subject, html, text };
}
