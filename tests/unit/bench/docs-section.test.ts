import { describe, expect, it } from 'vitest';
import { replaceSection, sectionMarkers } from '../../../bench/support/docs-section.js';

const { begin, end } = sectionMarkers('publishing');

describe('a generated section of a document', () => {
  it('is appended after the text when the document has none yet', () => {
    const doc = replaceSection('# Performance\n\nIntro.\n', 'publishing', '## Publishing\n\nfigures');
    expect(doc).toBe(`# Performance\n\nIntro.\n\n${begin}\n## Publishing\n\nfigures\n${end}\n`);
  });

  it('is replaced in place, leaving the other sections word for word', () => {
    const others = '## Bundles\n\nsizes\n';
    const after = '\n## Delivery\n\nrates\n';
    const doc = `# Performance\n\n${others}\n${begin}\nold figures\n${end}\n${after}`;
    const updated = replaceSection(doc, 'publishing', 'new figures');
    expect(updated).toBe(`# Performance\n\n${others}\n${begin}\nnew figures\n${end}\n${after}`);
    expect(replaceSection(updated, 'publishing', 'new figures')).toBe(updated);
  });

  it('refuses unbalanced or repeated markers rather than guess', () => {
    expect(() => replaceSection(`${begin}\nno end`, 'publishing', 'x')).toThrow(/markers/);
    expect(() => replaceSection(`${end}\n${begin}`, 'publishing', 'x')).toThrow(/markers/);
    expect(() => replaceSection(`${begin}${end}${begin}${end}`, 'publishing', 'x')).toThrow(/markers/);
  });

  it('leaves sections of other names alone', () => {
    const delivery = sectionMarkers('delivery');
    const doc = `${delivery.begin}\nrates\n${delivery.end}\n`;
    expect(replaceSection(doc, 'publishing', 'figures')).toBe(
      `${delivery.begin}\nrates\n${delivery.end}\n\n${begin}\nfigures\n${end}\n`,
    );
  });

  it('takes only kebab-case names', () => {
    expect(() => sectionMarkers('Publishing -->')).toThrow(RangeError);
  });
});
