import type { Cadence, Publication } from '../../core/model.js';
import { MAX_EMAIL_LENGTH } from '../../core/subscriptions/parse-subscribe-request.js';
import { html, type SafeHtml } from '../html.js';
import { choiceFields } from './choice-fields.js';

export interface SubscribeFormInput {
  publication: Publication;
  action: string;
  cadences: readonly Cadence[];
  defaultCadence: Cadence;
  topics: readonly string[];
}

/**
 * The subscribe form. The `website` field is a honeypot: hidden from people (the `hidden` attribute,
 * so no inline style is needed under the CSP) and from assistive technology, left empty by people,
 * filled by many bots.
 */
export function subscribePage(input: SubscribeFormInput): { title: string; body: SafeHtml } {
  const { publication } = input;
  return {
    title: `Subscribe to ${publication.title}`,
    body: html`<section class="subscribe" aria-labelledby="subscribe-title">
<h1 id="subscribe-title">Subscribe to ${publication.title}</h1>
<p>${publication.description}</p>
<form method="post" action="${input.action}">
<input type="hidden" name="form" value="subscribe-page">
<div class="field">
<label for="email">Email address</label>
<input type="email" id="email" name="email" required maxlength="${MAX_EMAIL_LENGTH}" autocomplete="email" inputmode="email">
</div>
${choiceFields({
  publication,
  cadences: input.cadences,
  cadence: input.defaultCadence,
  topics: input.topics,
  chosenTopics: [],
})}
<div class="hp" hidden aria-hidden="true">
<label for="website">Leave this field empty</label>
<input type="text" id="website" name="website" tabindex="-1" autocomplete="off">
</div>
<button type="submit">Subscribe</button>
</form>
<p>We will send you an email to confirm. Every email has a link to change your choices or unsubscribe.</p>
</section>
`,
  };
}

/** The one answer to every subscribe request, whatever the address's state. */
export function checkInboxPage(publication: Publication): { title: string; body: SafeHtml } {
  return {
    title: 'Check your inbox',
    body: html`<section aria-labelledby="done-title">
<h1 id="done-title">Check your inbox</h1>
<p>If this address can receive ${publication.title}, an email with a confirmation link is on its way.
Open it and press the button to start your subscription.</p>
<p>Nothing there after a few minutes? Look in your spam folder, or subscribe again in ten minutes.</p>
</section>
`,
  };
}

/** The sentence the JSON API answers with, the same for every address. */
export const CHECK_INBOX_MESSAGE =
  'Check your inbox: if this address can receive mail from us, a confirmation link is on its way.';
