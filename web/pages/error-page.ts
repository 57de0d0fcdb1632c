import { html, type SafeHtml } from '../html.js';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  403: 'This link is not valid',
  404: 'Not found',
  405: 'That did not work',
  409: 'This link was already used',
  410: 'This link no longer works',
  413: 'Too much data',
  415: 'That did not work',
  429: 'Too many attempts',
  500: 'Something went wrong on our side',
  503: 'Please try again in a moment',
};

/** A problem explained: the message names the field or the problem, and the way back. */
export function errorPage(
  status: number,
  message: string,
  homeUrl: string,
): { title: string; body: SafeHtml } {
  const title = TITLES[status] ?? 'That did not work';
  return {
    title,
    body: html`<section aria-labelledby="error-title">
<h1 id="error-title">${title}</h1>
<p role="alert">${message}</p>
<p><a href="${homeUrl}">Back to the archive</a></p>
</section>
`,
  };
}
