import type { EditionProgress } from '../../../core/edition.js';
import { html, type SafeHtml } from '../../html.js';
import { csrfField, type PathOf } from './console-frame.js';
import type { ListedEdition } from './editions-page.js';
import { testSendSection } from './test-send-section.js';

const STATE_WORDS: Record<EditionProgress['state'], string> = {
  sending: 'Sending…',
  paused: 'Paused.',
  done: 'Done.',
};

/**
 * One edition's progress: state, a progress bar and the counts (planned, sent, failed, unknown,
 * skipped, queued, sending, dead-lettered), pause or resume, and a test send. While it sends,
 * console.js polls the JSON beside it and updates the numbers in place.
 */
export function progressPage(input: {
  path: PathOf;
  progress: EditionProgress;
  listing?: ListedEdition | undefined;
  csrf: string;
  notice?: SafeHtml | undefined;
}): SafeHtml {
  const { path, progress: p } = input;
  const id = encodeURIComponent(p.editionId);
  const settled = p.sent + p.failed + p.unknown + p.skipped;
  const count = (name: keyof EditionProgress, label: string, explain: string) =>
    html`<li><strong data-count="${name}">${String(p[name])}</strong>${label}<br><small>${explain}</small></li>\n`;
  return html`<h1>Edition <code>${p.editionId}</code></h1>
${input.notice ?? ''}
${input.listing?.subject ? html`<p>${input.listing.subject}</p>` : ''}
<section aria-labelledby="progress-title" data-progress-url="${path(`editor/console/editions/${id}/progress.json`)}" data-state="${p.state}">
<h2 id="progress-title">Progress</h2>
<p class="state" aria-live="polite" data-live>${STATE_WORDS[p.state]}</p>
<progress max="${Math.max(p.planned, 1)}" value="${settled}" aria-labelledby="progress-title"></progress>
<ul class="numbers">
${count('planned', 'planned', p.fanOutComplete ? 'every recipient found' : 'still finding recipients')}${count('sent', 'sent', 'accepted by SES')}${count('failed', 'failed', 'refused for good')}${count('unknown', 'unknown', 'may have gone; never resent')}${count('skipped', 'skipped', 'unsubscribed or suppressed since')}${count('queued', 'queued', 'waiting their turn')}${count('sending', 'sending', 'in flight')}${count('deadLettered', 'dead-lettered', 'in the dead-letter queue')}</ul>
<p><a href="${path(`editor/console/editions/${id}`)}">Refresh</a></p>
${
  p.state === 'done'
    ? ''
    : html`<form method="post" action="${path(`editor/console/editions/${id}/${p.state === 'paused' ? 'resume' : 'pause'}`)}" class="inline">
${csrfField(input.csrf)}
<button type="submit">${p.state === 'paused' ? 'Resume' : 'Pause'}</button>
</form>
<p>${p.state === 'paused' ? 'Nothing new is claimed while paused; resuming sends the rest.' : 'Pausing stops new deliveries within seconds; those in flight finish.'}</p>`
}
</section>
${testSendSection(path(`editor/console/editions/${id}/test`), csrfField(input.csrf))}
<p><a href="${path('editor/console')}">All editions</a></p>`;
}
