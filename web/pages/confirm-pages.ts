import { html, type SafeHtml } from '../html.js';

/** A button that confirms: mail scanners follow links but do not press buttons. */
export function confirmPage(
  action: string,
  token: string,
  publicationTitle: string,
): { title: string; body: SafeHtml } {
  return {
    title: 'Confirm your subscription',
    body: html`<section aria-labelledby="confirm-title">
<h1 id="confirm-title">Confirm your subscription</h1>
<p>Press the button to start receiving ${publicationTitle}.</p>
<form method="post" action="${action}">
<input type="hidden" name="token" value="${token}">
<button type="submit">Confirm my subscription</button>
</form>
</section>
`,
  };
}

export function confirmedPage(
  already: boolean,
  preferencesUrl: string,
  publicationTitle: string,
): { title: string; body: SafeHtml } {
  return {
    title: already ? 'Already confirmed' : 'You are subscribed',
    body: html`<section aria-labelledby="confirmed-title">
<h1 id="confirmed-title">${already ? 'Already confirmed' : 'You are subscribed'}</h1>
<p>${already ? 'Your subscription was confirmed before; nothing changed.' : `Welcome to ${publicationTitle}.`}</p>
<p><a href="${preferencesUrl}">Choose how often and which topics</a>.</p>
</section>
`,
  };
}
