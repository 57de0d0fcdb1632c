import type { EditionProgress } from '../../../core/edition.js';
import type { Cadence, Post } from '../../../core/model.js';
import type { EditionListing } from '../../editor/editor-deps.js';
import { html, type SafeHtml } from '../../html.js';
import { type PathOf, timeOf } from './console-frame.js';

/** What the list shows of an edition; the extra fields come with the delivery engine's summaries. */
export type ListedEdition = EditionListing & {
  cadence?: Cadence | undefined;
  createdAt?: string | undefined;
  subject?: string | undefined;
  posts?: readonly string[] | undefined;
};

const CADENCE_NAMES: Record<Cadence, string> = {
  immediate: 'post',
  daily: 'daily digest',
  weekly: 'weekly digest',
};

/** The Editions page: preview and send the next digest or a post's edition; the newest editions with their counts. */
export function editionsPage(input: {
  path: PathOf;
  digestCadences: readonly Cadence[];
  publishedPosts: readonly Post[];
  editions: readonly ListedEdition[];
  notice?: SafeHtml | undefined;
}): SafeHtml {
  const { path } = input;
  return html`<h1>Editions</h1>
${input.notice ?? ''}
<section aria-labelledby="next-title">
<h2 id="next-title">Preview, test and send</h2>
${
  input.digestCadences.length === 0
    ? html`<p class="empty">publication.yaml has no digest schedule.</p>`
    : html`<ul>
${input.digestCadences.map(
  (c) =>
    html`<li><a href="${path(`editor/console/editions/preview?cadence=${c}`)}">The ${CADENCE_NAMES[c]} as it would go now</a></li>\n`,
)}</ul>`
}
${
  input.publishedPosts.length === 0
    ? html`<p class="empty">No published post yet.</p>`
    : html`<form method="get" action="${path('editor/console/editions/preview')}" class="inline">
<div class="field">
<label for="post">A post's own edition (immediate subscribers)</label>
<select id="post" name="post">
${input.publishedPosts.map((p) => html`<option value="${p.slug}">${p.title}</option>\n`)}</select>
</div>
<button type="submit">Preview</button>
</form>`
}
</section>
<section aria-labelledby="list-title">
<h2 id="list-title">Latest editions</h2>
${
  input.editions.length === 0
    ? html`<p class="empty">No edition yet.</p>`
    : html`<table tabindex="0">
<thead><tr><th scope="col">Edition</th><th scope="col">State</th><th scope="col">Created</th><th scope="col" class="num">Planned</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Unknown</th><th scope="col" class="num">Skipped</th></tr></thead>
<tbody>
${input.editions.map((e) => editionRow(path, e))}</tbody>
</table>`
}
</section>`;
}

function editionRow(path: PathOf, e: ListedEdition): SafeHtml {
  const p: EditionProgress = e.progress;
  return html`<tr>
<td><a href="${path(`editor/console/editions/${encodeURIComponent(e.id)}`)}"><code>${e.id}</code></a>${e.subject ? html`<br>${e.subject}` : ''}</td>
<td class="state">${e.state}</td>
<td>${timeOf(e.createdAt)}</td>
<td class="num">${p.planned}</td>
<td class="num">${p.sent}</td>
<td class="num">${p.failed}</td>
<td class="num">${p.unknown}</td>
<td class="num">${p.skipped}</td>
</tr>
`;
}
