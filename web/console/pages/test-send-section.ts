import { MAX_TEST_RECIPIENTS } from '../../../core/editions/send-test.js';
import { html, type SafeHtml } from '../../html.js';

/**
 * The "Test send" section of the preview and progress pages: a form that posts up to
 * MAX_TEST_RECIPIENTS addresses to `action` with `fields` (the CSRF token and whatever names
 * the edition), then `after`.
 */
export function testSendSection(action: string, fields: SafeHtml, after: SafeHtml | '' = ''): SafeHtml {
  return html`<section aria-labelledby="test-title">
<h2 id="test-title">Test send</h2>
<form method="post" action="${action}">
${fields}
<div class="field">
<label for="to">Send a copy to (up to ${MAX_TEST_RECIPIENTS} addresses, one per line)</label>
<textarea id="to" name="to" required autocomplete="email"></textarea>
</div>
<button type="submit">Send test</button>
</form>
${after}</section>`;
}
