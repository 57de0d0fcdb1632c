import type { Cadence, Publication } from '../../core/model.js';
import type { Subscriber } from '../../core/subscriber.js';
import { html, type SafeHtml } from '../html.js';
import { choiceFields } from './choice-fields.js';

export interface PreferencesPageInput {
  publication: Publication;
  subscriber: Subscriber;
  token: string;
  cadences: readonly Cadence[];
  topics: readonly string[];
  unsubscribeUrl: string;
  actions: { save: string; exportData: string; remove: string };
  saved?: boolean | undefined;
}

const STATUS_TEXT: Record<Subscriber['status'], string> = {
  pending: 'waiting for your confirmation',
  active: 'active',
  unsubscribed: 'unsubscribed: you get no mail',
  suppressed: 'stopped: mail to this address bounced or was reported, so none is sent',
};

export function preferencesPage(input: PreferencesPageInput): { title: string; body: SafeHtml } {
  const { subscriber } = input;
  // Topics no longer among the posts' tags still show, so saving does not drop them silently.
  const topics = [...input.topics, ...subscriber.topics.filter((t) => !input.topics.includes(t))];
  return {
    title: 'Your subscription',
    body: html`<section class="subscribe" aria-labelledby="prefs-title">
<h1 id="prefs-title">Your subscription</h1>
${input.saved ? html`<p role="status"><strong>Saved.</strong> Your choices apply from the next email.</p>` : ''}
<p>Address: <strong>${subscriber.email}</strong> · status: ${STATUS_TEXT[subscriber.status]}</p>
<form method="post" action="${input.actions.save}">
<input type="hidden" name="token" value="${input.token}">
${choiceFields({
  publication: input.publication,
  cadences: input.cadences,
  cadence: subscriber.cadence,
  topics,
  chosenTopics: subscriber.topics,
})}
<button type="submit">Save my choices</button>
</form>
<h2>Your data</h2>
<form class="field" method="post" action="${input.actions.exportData}">
<input type="hidden" name="token" value="${input.token}">
<button type="submit">Download my data (JSON)</button>
</form>
<form class="field" method="post" action="${input.actions.remove}">
<input type="hidden" name="token" value="${input.token}">
<button type="submit">Delete me</button>
</form>
<p><a href="${input.unsubscribeUrl}">Unsubscribe</a> (keeps your record; deleting erases it).</p>
</section>
`,
  };
}

/** The confirm step before erasure: no script, a second form. */
export function deleteConfirmPage(
  action: string,
  token: string,
  cancelUrl: string,
): { title: string; body: SafeHtml } {
  return {
    title: 'Delete your data?',
    body: html`<section aria-labelledby="delete-title">
<h1 id="delete-title">Delete your data?</h1>
<p>This erases your subscription record: address, choices and consent record. We keep only a
one-way hash of the address so that it is never mailed again, unless you subscribe anew.</p>
<form method="post" action="${action}">
<input type="hidden" name="token" value="${token}">
<input type="hidden" name="confirm" value="yes">
<button type="submit">Yes, delete everything</button>
</form>
<p><a href="${cancelUrl}">No, keep my subscription</a></p>
</section>
`,
  };
}

export function deletedPage(subscribeUrl: string): { title: string; body: SafeHtml } {
  return {
    title: 'Your data is deleted',
    body: html`<section aria-labelledby="deleted-title">
<h1 id="deleted-title">Your data is deleted</h1>
<p>Your record is erased and this address will not be mailed again.</p>
<p>Changed your mind? <a href="${subscribeUrl}">Subscribe again</a>.</p>
</section>
`,
  };
}
