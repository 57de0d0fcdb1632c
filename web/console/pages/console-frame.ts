import { html, type SafeHtml } from '../../html.js';
import { CSRF_FIELD } from '../console-session.js';

/** The console's sections, in the order the navigation shows them. */
export type ConsoleSection = 'editions' | 'posts' | 'subscribers';

/** Turns an app path (`editor/console/posts`) into a link for this deployment. */
export type PathOf = (path: string) => string;

const SECTIONS: ReadonlyArray<{ id: ConsoleSection; label: string; path: string }> = [
  { id: 'editions', label: 'Editions', path: 'editor/console' },
  { id: 'posts', label: 'Posts', path: 'editor/console/posts' },
  { id: 'subscribers', label: 'Subscribers', path: 'editor/console/subscribers' },
];

/**
 * Wraps a console page's content: its stylesheet (linked from the body, as the archive's layout
 * owns the head), the console navigation, and the script for live progress. Everything is
 * same-origin, so the CSP (`default-src 'self'`) holds.
 */
export function consoleFrame(input: { path: PathOf; section: ConsoleSection; content: SafeHtml }): SafeHtml {
  const { path } = input;
  return html`<link rel="stylesheet" href="${path('editor/console/assets/console.css')}">
<div class="console">
<nav class="console-nav" aria-label="Console">
<ul>
${SECTIONS.map(
  (s) =>
    html`<li><a href="${path(s.path)}"${s.id === input.section ? html` aria-current="page"` : ''}>${s.label}</a></li>\n`,
)}</ul>
</nav>
${input.content}
</div>
<script src="${path('editor/console/assets/console.js')}" defer></script>
`;
}

/** The hidden CSRF field every console form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

/** A notice at the top of a page: what just happened, or what went wrong. */
export function notice(kind: 'info' | 'problem', content: SafeHtml | string): SafeHtml {
  return html`<div class="notice${kind === 'problem' ? ' problem' : ''}" role="${kind === 'problem' ? 'alert' : 'status'}">${content}</div>`;
}

/** An ISO instant as a readable UTC time in a `<time>` element. */
export function timeOf(iso: string | undefined): SafeHtml {
  if (!iso) return html`<span class="empty">—</span>`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${iso}`;
  return html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
}
