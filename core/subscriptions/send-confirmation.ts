import { composeMime } from '../email/compose-mime.js';
import { compileConfirmation, personalizeConfirmation } from '../email/personalize-confirmation.js';
import { renderConfirmation } from '../email/render-confirmation.js';
import type { EmailTemplates } from '../email/rendered-mail.js';
import type { Publication } from '../model.js';
import type { Clock, Mailer } from '../ports.js';
import type { SendConfirmation } from './subscribe.js';
import { CONFIRM_TOKEN_TTL_SECONDS } from './subscriber-links.js';

/** What the confirmation mailer renders with and sends through. */
export interface ConfirmationSenderDeps {
  publication: Publication;
  templates: EmailTemplates;
  mailer: Mailer;
  clock: Clock;
}

/**
 * The double opt-in mailer: renders the `confirm` templates once (MJML and Liquid are slow, a
 * confirmation per request is not), then per request fills in the signed link and the address,
 * builds the MIME message and sends it tagged `kind=confirmation`. The only user-supplied text in
 * the mail is the address itself. Template errors surface on the first call, as TemplateError.
 */
export function createConfirmationSender(deps: ConfirmationSenderDeps): SendConfirmation {
  let compiled: ReturnType<typeof compileConfirmation> | undefined;
  let rendering: Promise<ReturnType<typeof compileConfirmation>> | undefined;
  const compile = async () => {
    if (compiled) return compiled;
    rendering ??= renderConfirmation({
      publication: deps.publication,
      templates: deps.templates,
      validForDays: CONFIRM_TOKEN_TTL_SECONDS / 86_400,
    }).then(compileConfirmation);
    try {
      compiled = await rendering;
    } catch (error) {
      rendering = undefined;
      throw error;
    }
    return compiled;
  };

  return async ({ to, confirmUrl }) => {
    const mail = personalizeConfirmation(await compile(), { confirmUrl, email: to });
    const { from, replyTo } = deps.publication.email;
    const raw = await composeMime({
      from,
      replyTo,
      to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      date: deps.clock.now(),
    });
    return deps.mailer.send({ raw, from: from.address, to: [to], tags: { kind: 'confirmation' } });
  };
}
