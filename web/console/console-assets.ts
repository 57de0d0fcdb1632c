/**
 * The console's stylesheet and its one small script, served from /editor/console/assets/ (the
 * CSP allows same-origin files only: nothing inline). The archive's stylesheet does the rest.
 */

export const CONSOLE_CSS = `/* Gazette editors' console: on top of the archive's style.css. */
.console-nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0 0 1.5rem; padding: 0; list-style: none; font-family: var(--font-ui); }
.console-nav a[aria-current="page"] { font-weight: 700; text-decoration: none; }
.console section { margin-bottom: 2rem; font-family: var(--font-ui); font-size: 1rem; }
.console h1 { margin-top: 0; }
.console form.inline { display: inline-flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0 0.5rem 0.5rem 0; }
.console .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.console textarea { width: 100%; max-width: 32rem; min-height: 4.5rem; padding: 0.5rem; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
.console input[type="search"], .console input[type="file"] { width: 100%; max-width: 24rem; min-height: 2.75rem; padding: 0.5rem; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
.console .check { display: flex; gap: 0.5rem; align-items: flex-start; margin-bottom: 0.875rem; }
.console .check input { margin-top: 0.3rem; }
.console button.secondary { color: var(--accent); background: transparent; }
.console .notice { padding: 0.75rem 1rem; border: 1px solid var(--rule); border-inline-start: 4px solid var(--accent); border-radius: 4px; }
.console .notice.problem { border-inline-start-color: #c4312b; }
.console .numbers { display: grid; grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr)); gap: 0.5rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.console .numbers li { padding: 0.5rem 0.75rem; border: 1px solid var(--rule); border-radius: 4px; }
.console .numbers strong { display: block; font-size: 1.5rem; font-variant-numeric: tabular-nums; }
.console progress { width: 100%; height: 1.25rem; }
.console .frames { display: flex; flex-wrap: wrap; gap: 1rem; }
.console .frame { max-width: 100%; overflow-x: auto; }
.console .frame iframe { display: block; height: 40rem; border: 1px solid var(--rule); background: #fff; }
.console .frame.desktop iframe { width: 600px; }
.console .frame.mobile iframe { width: 375px; }
.console pre.text-part { max-height: 30rem; overflow: auto; white-space: pre-wrap; }
.console td.num, .console th.num { text-align: end; font-variant-numeric: tabular-nums; }
.console .state { font-weight: 600; }
.console code { overflow-wrap: anywhere; }
`;

/**
 * Live progress: polls the page's `data-progress-url` (JSON) every two seconds while the edition
 * is sending and writes the numbers into the elements named by `data-count`. Without script the
 * page still works: it has a Refresh link.
 */
export const CONSOLE_JS = `'use strict';
(function () {
  var root = document.querySelector('[data-progress-url]');
  if (!root) return;
  var url = root.getAttribute('data-progress-url');
  var bar = root.querySelector('progress');
  var live = root.querySelector('[data-live]');
  function settled(p) { return p.sent + p.failed + p.unknown + p.skipped; }
  function show(p) {
    root.querySelectorAll('[data-count]').forEach(function (el) {
      var name = el.getAttribute('data-count');
      if (name in p) el.textContent = String(p[name]);
    });
    if (bar) { bar.max = Math.max(p.planned, 1); bar.value = settled(p); }
    if (live) live.textContent = p.state === 'done' ? 'Done.' : p.state === 'paused' ? 'Paused.' : 'Sending…';
    root.setAttribute('data-state', p.state);
  }
  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (p) { show(p); if (p.state === 'sending') setTimeout(poll, 2000); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (root.getAttribute('data-state') === 'sending') setTimeout(poll, 1000);
})();
`;
