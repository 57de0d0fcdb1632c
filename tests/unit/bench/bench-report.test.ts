import { describe, expect, it } from 'vitest';
import { PUBLISHING } from '../../../bench/run-publishing.js';
import { type BenchReport, renderReport } from '../../../bench/support/bench-report.js';
import { bytes, ms, percent, ratio, us } from '../../../bench/support/format.js';
import { renderSection } from '../../../bench/support/run-section.js';

const report: BenchReport = {
  title: 'Feed build',
  command: 'npx tsx bench/publishing/feed-build.ts',
  setup: ['what is measured'],
  tables: ['| a |\n| - |\n| 1 |'],
  verdicts: [
    { target: '≤ 25 µs', measured: '9 µs', pass: true },
    { target: '≥ 300×', measured: '×120', pass: false },
  ],
  notes: ['a finding'],
};

describe('benchmark reports', () => {
  it('render as Markdown with the command, setup, tables, PASS/MISS lines and notes', () => {
    expect(renderReport(report)).toBe(
      [
        '### Feed build',
        '',
        '`npx tsx bench/publishing/feed-build.ts`',
        '',
        '- what is measured',
        '',
        '| a |\n| - |\n| 1 |',
        '',
        '- **PASS**: target ≤ 25 µs; measured 9 µs.',
        '- **MISS**: target ≥ 300×; measured ×120.',
        '',
        '- a finding',
      ].join('\n'),
    );
  });

  it('go into the Publishing section after the machine line', () => {
    const section = renderSection(
      PUBLISHING,
      [report, { ...report, title: 'Digest render' }],
      'AMD EPYC, 2 CPUs',
      1.5,
    );
    expect(section.startsWith('## Publishing\n')).toBe(true);
    expect(section).toContain('Machine: AMD EPYC, 2 CPUs; load average 1.50 at the end.');
    expect(section).toContain('npx tsx bench/run-publishing.ts');
    expect(section.indexOf('### Feed build')).toBeLessThan(section.indexOf('### Digest render'));
  });
});

describe('figures', () => {
  it('keep three significant digits and always say their unit', () => {
    expect(ms(12.345)).toBe('12.3 ms');
    expect(ms(1234.5)).toBe('1,235 ms');
    expect(ms(23_552)).toBe('23.6 s');
    expect(us(0.00456)).toBe('4.56 µs');
    expect(us(1.5)).toBe('1.5 ms');
    expect(bytes(999)).toBe('999 B');
    expect(bytes(73_242)).toBe('73.2 KB');
    expect(bytes(10_500_000)).toBe('10.5 MB');
    expect(ratio(311.4)).toBe('×311');
    expect(percent(0.126)).toBe('13%');
  });
});
