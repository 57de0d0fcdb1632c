import { html, type SafeHtml } from '../html.js';

/** A button, because a GET must never unsubscribe (link scanners and previews follow links). */
export function unsubscribePage(
  action: string,
  token: string,
  publicationTitle: string,
  already: boolean,
  subscribeUrl: string,
): { title: string; body: SafeHtml } {
  if (already) return unsubscribedPage(subscribeUrl, true);
  return {
    title: 'Unsubscribe',
    body: html`<section aria-labelledby="unsub-title">
<h1 id="unsub-title">Unsubscribe from ${publicationTitle}?</h1>
<p>Press the button and you will get no more email from us.</p>
<form method="post" action="${action}">
<input type="hidden" name="token" value="${token}">
<button type="submit">Unsubscribe</button>
</form>
</section>
`,
  };
}

export function unsubscribedPage(subscribeUrl: string, already = false): { title: string; body: SafeHtml } {
  return {
    title: 'You are unsubscribed',
    body: html`<section aria-labelledby="unsubscribed-title">
<h1 id="unsubscribed-title">You are unsubscribed</h1>
<p>${already ? 'This address was already unsubscribed.' : 'You will get no more email from us.'}</p>
<p>Unsubscribed by mistake? <a href="${subscribeUrl}">Subscribe again</a>.</p>
</section>
`,
  };
}
