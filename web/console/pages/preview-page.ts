import type { EditionRequest } from '../../../core/editions/create-edition.js';
import type { PreviewResult } from '../../../core/editions/preview-edition.js';
import { html, type SafeHtml } from '../../html.js';
import { csrfField, type PathOf } from './console-frame.js';
import { testSendSection } from './test-send-section.js';

/** `cadence=weekly` or `post=<slug>`, for links and hidden fields. */
export function requestQuery(request: EditionRequest): string {
  return 'post' in request
    ? `post=${encodeURIComponent(request.post)}`
    : `cadence=${encodeURIComponent(request.cadence)}`;
}

function requestFields(request: EditionRequest): SafeHtml {
  return 'post' in request
    ? html`<input type="hidden" name="post" value="${request.post}">`
    : html`<input type="hidden" name="cadence" value="${request.cadence}">`;
}

/** Why there is nothing to preview, in the editor's words. */
export const PREVIEW_REFUSALS: Record<string, string> = {
  'no-posts': 'Nothing was published since the last edition of this cadence: there is nothing to send.',
  'no-schedule': 'publication.yaml has no schedule for this cadence.',
  'not-found': 'No published post has this slug (drafts and posts dated in the future are not sent).',
  'not-published': 'This post is not published yet (a draft, or dated in the future).',
};

/**
 * The preview of an edition: what it is, the HTML in a 600 px and a 375 px frame (sandboxed,
 * served with a policy of its own), the text part, a test-send form, and "send now".
 */
export function previewPage(input: {
  path: PathOf;
  request: EditionRequest;
  preview: PreviewResult;
  /** Active subscribers of the edition's cadence (topics may narrow it). */
  audience: number | undefined;
  csrf: string;
  notice?: SafeHtml | undefined;
}): SafeHtml {
  const { path, request, preview } = input;
  const what =
    'post' in request
      ? html`the edition of post <code>${request.post}</code>`
      : html`the ${request.cadence} digest`;
  if (!preview.ok) {
    return html`<h1>Preview</h1>
${input.notice ?? ''}
<p>There is nothing to preview for ${what}: ${PREVIEW_REFUSALS[preview.reason] ?? preview.reason}</p>
<p><a href="${path('editor/console')}">Back to the editions</a></p>`;
  }
  const query = requestQuery(request);
  const frameSrc = path(`editor/console/editions/preview.html?${query}`);
  const cadenceWord = 'post' in request ? 'immediate' : request.cadence;
  return html`<h1>Preview: ${preview.subject}</h1>
${input.notice ?? ''}
<section aria-labelledby="about-title">
<h2 id="about-title">The edition</h2>
<table tabindex="0">
<tbody>
<tr><th scope="row">Edition</th><td><code>${preview.editionId}</code>${
    preview.exists
      ? html` — already made: <a href="${path(`editor/console/editions/${encodeURIComponent(preview.editionId)}`)}">see its progress</a>`
      : html` — not sent yet`
  }</td></tr>
<tr><th scope="row">Subject</th><td>${preview.subject}</td></tr>
<tr><th scope="row">Preview line</th><td>${preview.preheader}</td></tr>
<tr><th scope="row">Posts</th><td>${preview.posts.join(', ')}</td></tr>
<tr><th scope="row">Audience</th><td>${input.audience === undefined ? 'unknown' : `${input.audience} active ${cadenceWord} subscriber${input.audience === 1 ? '' : 's'}`} (those following topics get the matching posts only)</td></tr>
</tbody>
</table>
</section>
<section aria-labelledby="frames-title">
<h2 id="frames-title">HTML</h2>
<div class="frames">
<figure class="frame desktop" tabindex="0"><iframe sandbox="" src="${frameSrc}" title="The edition at 600 pixels (desktop)"></iframe><figcaption>Desktop, 600 px</figcaption></figure>
<figure class="frame mobile" tabindex="0"><iframe sandbox="" src="${frameSrc}" title="The edition at 375 pixels (mobile)"></iframe><figcaption>Mobile, 375 px</figcaption></figure>
</div>
</section>
<section aria-labelledby="text-title">
<h2 id="text-title">Text</h2>
<pre class="text-part" tabindex="0">${preview.text}</pre>
</section>
${testSendSection(
  path('editor/console/editions/test'),
  html`${csrfField(input.csrf)}${requestFields(request)}`,
  html`<p>A test has "[TEST]" before its subject and links that belong to nobody; it does not count as a delivery.</p>
`,
)}
<section aria-labelledby="send-title">
<h2 id="send-title">Send now</h2>
<form method="post" action="${path('editor/console/editions/send')}">
${csrfField(input.csrf)}${requestFields(request)}
<div class="check">
<input type="checkbox" id="confirm" name="confirm" value="yes" required>
<label for="confirm">Send ${preview.exists ? 'the rest of ' : ''}this edition to every active ${cadenceWord} subscriber now</label>
</div>
<button type="submit">Send now</button>
</form>
<p>Sending is idempotent: a second press, or the schedule firing too, finds the same edition and sends nobody anything twice.</p>
</section>`;
}
