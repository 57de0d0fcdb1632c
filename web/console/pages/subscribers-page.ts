import { CADENCES } from '../../../core/model.js';
import { SUBSCRIBER_STATUSES, type Suppression } from '../../../core/subscriber.js';
import type { SubscriberCounts } from '../../../core/subscribers-admin/count-subscribers.js';
import type { ImportReport } from '../../../core/subscribers-admin/import-subscribers.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../../core/subscribers-admin/parse-import.js';
import type { SearchResult } from '../../../core/subscribers-admin/search-subscribers.js';
import { html, type SafeHtml } from '../../html.js';
import { csrfField, notice, type PathOf, timeOf } from './console-frame.js';

/** Suppressions listed on the page (newest first); the export and the API have them all. */
export const SUPPRESSIONS_SHOWN = 100;

/** The Subscribers page: counts, search, import, export and the suppression list. */
export function subscribersPage(input: {
  path: PathOf;
  counts: SubscriberCounts;
  query: string | undefined;
  search: SearchResult | undefined;
  suppressions: readonly Suppression[];
  csrf: string;
  notice?: SafeHtml | undefined;
}): SafeHtml {
  const { path, counts } = input;
  const newest = [...input.suppressions].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return html`<h1>Subscribers</h1>
${input.notice ?? ''}
<section aria-labelledby="counts-title">
<h2 id="counts-title">Counts</h2>
<table tabindex="0">
<thead><tr><th scope="col">Status</th>${CADENCES.map((c) => html`<th scope="col" class="num">${c}</th>`)}<th scope="col" class="num">All</th></tr></thead>
<tbody>
${SUBSCRIBER_STATUSES.map(
  (s) =>
    html`<tr><th scope="row">${s}</th>${CADENCES.map((c) => html`<td class="num">${counts.byStatus[s].byCadence[c]}</td>`)}<td class="num">${counts.byStatus[s].total}</td></tr>\n`,
)}</tbody>
<tfoot><tr><th scope="row">All</th>${CADENCES.map((c) => html`<td class="num">${SUBSCRIBER_STATUSES.reduce((n, s) => n + counts.byStatus[s].byCadence[c], 0)}</td>`)}<td class="num">${counts.total}</td></tr></tfoot>
</table>
</section>
<section aria-labelledby="search-title">
<h2 id="search-title">Find a subscriber</h2>
<form method="get" action="${path('editor/console/subscribers')}" role="search" class="inline">
<div class="field">
<label for="q">Address, or part of one</label>
<input type="search" id="q" name="q" value="${input.query ?? ''}" maxlength="254" required>
</div>
<button type="submit">Search</button>
</form>
${input.search ? searchResults(input.search) : ''}
</section>
<section aria-labelledby="import-title">
<h2 id="import-title">Import</h2>
<form method="post" action="${path('editor/console/subscribers/import')}" enctype="multipart/form-data">
${csrfField(input.csrf)}
<div class="field">
<label for="file">CSV file: a header with <code>email</code> (and <code>cadence</code>, <code>topics</code>), one subscriber a line</label>
<input type="file" id="file" name="file" accept=".csv,text/csv" required>
</div>
<div class="check">
<input type="checkbox" id="consented" name="consented" value="yes">
<label for="consented">These people already agreed to get this publication (consent obtained elsewhere): make them active without a confirmation mail. Otherwise each gets a confirmation mail and stays pending until they confirm.</label>
</div>
<button type="submit">Import</button>
</form>
<p>Up to ${MAX_IMPORT_ROWS} rows and ${Math.round(MAX_IMPORT_BYTES / 1024)} KiB at a time; <code>gazette subscribers import FILE</code> sends longer lists in parts.</p>
</section>
<section aria-labelledby="export-title">
<h2 id="export-title">Export</h2>
<p><a href="${path('editor/console/subscribers/export.csv')}" download>Download every subscriber as CSV</a> (addresses, choices, status, consent record).</p>
</section>
<section aria-labelledby="suppressed-title">
<h2 id="suppressed-title">Suppression list (${input.suppressions.length})</h2>
<p>Addresses never mailed again, kept as hashes of the address: hard bounces, complaints, and people who erased their data.</p>
${
  newest.length === 0
    ? html`<p class="empty">Nobody.</p>`
    : html`<table tabindex="0">
<thead><tr><th scope="col">Address hash</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">Detail</th></tr></thead>
<tbody>
${newest
  .slice(0, SUPPRESSIONS_SHOWN)
  .map(
    (s) =>
      html`<tr><td><code>${s.emailKey.slice(0, 16)}…</code></td><td>${s.reason}</td><td>${timeOf(s.at)}</td><td>${s.detail ?? ''}</td></tr>\n`,
  )}</tbody>
</table>${newest.length > SUPPRESSIONS_SHOWN ? html`<p>The ${SUPPRESSIONS_SHOWN} newest are shown.</p>` : ''}`
}
</section>`;
}

function searchResults(search: SearchResult): SafeHtml {
  if (!search.ok) return notice('problem', search.problem);
  const suppression = search.suppression
    ? html`<p>This address is on the suppression list (${search.suppression.reason}, since ${timeOf(search.suppression.at)}): it is never mailed.</p>`
    : '';
  if (search.subscribers.length === 0) return html`<p class="empty">No subscriber found.</p>${suppression}`;
  return html`${suppression}<table tabindex="0">
<thead><tr><th scope="col">Address</th><th scope="col">Status</th><th scope="col">Cadence</th><th scope="col">Topics</th><th scope="col">Since</th><th scope="col">Consent</th></tr></thead>
<tbody>
${search.subscribers.map(
  (s) =>
    html`<tr><td>${s.email}</td><td>${s.status}</td><td>${s.cadence}</td><td>${s.topics.length > 0 ? s.topics.join(', ') : html`<span class="empty">all</span>`}</td><td>${timeOf(s.createdAt)}</td><td>${s.consent.form}${s.consent.importedConsent ? ' (consent stated at import)' : ''}${s.consent.confirmedAt ? html`, confirmed ${timeOf(s.consent.confirmedAt)}` : ''}</td></tr>\n`,
)}</tbody>
</table>${search.truncated ? html`<p>More match: give more of the address.</p>` : ''}`;
}

/** The outcome of an import: every row, added, skipped or rejected, with its line and reason. */
export function importResultPage(input: {
  path: PathOf;
  report: ImportReport;
  consented: boolean;
  ignoredColumns: readonly string[];
}): SafeHtml {
  const { report } = input;
  const mailed = report.added.filter((a) => a.confirmation === 'sent').length;
  const mailFailed = report.added.filter((a) => a.confirmation === 'failed');
  return html`<h1>Import</h1>
${notice(
  report.rejected.length > 0 || mailFailed.length > 0 ? 'problem' : 'info',
  html`${report.added.length} added${input.consented ? ' as active (consent stated)' : ` as pending, ${mailed} confirmation mail${mailed === 1 ? '' : 's'} sent`}; ${report.skipped.length} skipped; ${report.rejected.length} rejected.`,
)}
${input.ignoredColumns.length > 0 ? html`<p>Columns not read: ${input.ignoredColumns.join(', ')}.</p>` : ''}
${rowsTable(
  'rejected',
  'Rejected',
  'Fix these lines and import the file again: rows already imported are skipped.',
  report.rejected.map((r) => ({ row: r.row, email: '', reason: r.reason })),
)}
${
  mailFailed.length > 0
    ? rowsTable(
        'mail-failed',
        'Confirmation mail failed',
        'Added as pending, but their mail did not go out; import them again later.',
        mailFailed.map((r) => ({ row: r.row, email: r.email, reason: r.problem ?? '' })),
      )
    : ''
}
${rowsTable('skipped', 'Skipped', 'Valid rows that changed nothing.', report.skipped)}
${rowsTable(
  'added',
  'Added',
  '',
  report.added.map((a) => ({ row: a.row, email: a.email, reason: a.status })),
)}
<p><a href="${input.path('editor/console/subscribers')}">Back to the subscribers</a></p>`;
}

function rowsTable(
  id: string,
  title: string,
  explain: string,
  rows: ReadonlyArray<{ row: number; email: string; reason: string }>,
): SafeHtml {
  if (rows.length === 0) return html``;
  return html`<section aria-labelledby="import-${id}">
<h2 id="import-${id}">${title} (${rows.length})</h2>
${explain ? html`<p>${explain}</p>` : ''}
<table tabindex="0">
<thead><tr><th scope="col" class="num">Line</th><th scope="col">Address</th><th scope="col">${id === 'added' ? 'Status' : 'Reason'}</th></tr></thead>
<tbody>
${rows.map((r) => html`<tr><td class="num">${r.row}</td><td>${r.email}</td><td>${r.reason}</td></tr>\n`)}</tbody>
</table>
</section>`;
}
