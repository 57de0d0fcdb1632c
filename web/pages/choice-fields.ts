import type { Cadence, Publication } from '../../core/model.js';
import { html, type SafeHtml } from '../html.js';
import { cadenceLabel } from './cadence-labels.js';

/** Radio buttons for the cadence and checkboxes for the topics, with labels. */
export function choiceFields(input: {
  publication: Publication;
  cadences: readonly Cadence[];
  cadence: Cadence;
  topics: readonly string[];
  chosenTopics: readonly string[];
}): SafeHtml {
  const cadenceInputs = input.cadences.map(
    (cadence) => html`<div class="choice">
<input type="radio" name="cadence" id="cadence-${cadence}" value="${cadence}"${input.cadence === cadence ? html` checked` : ''}>
<label for="cadence-${cadence}">${cadenceLabel(cadence, input.publication)}</label>
</div>
`,
  );
  const topicInputs = input.topics.map(
    (topic, i) => html`<div class="choice">
<input type="checkbox" name="topics" id="topic-${i}" value="${topic}"${input.chosenTopics.includes(topic) ? html` checked` : ''}>
<label for="topic-${i}">${topic}</label>
</div>
`,
  );
  return html`<fieldset class="field">
<legend>How often</legend>
${cadenceInputs}</fieldset>
${
  input.topics.length > 0
    ? html`<fieldset class="field">
<legend>Topics <span class="hint">(none ticked: everything)</span></legend>
${topicInputs}</fieldset>
`
    : ''
}`;
}
