import { describe, expect, it } from 'vitest';
import { markdownTable } from '../../../bench/support/markdown-table.js';

describe('markdownTable', () => {
  it('pads columns and aligns numbers right', () => {
    expect(
      markdownTable(
        ['posts', 'median'],
        [
          ['10', '4.2 ms'],
          ['1,000', '310 ms'],
        ],
        ['right', 'right'],
      ),
    ).toBe(
      ['| posts | median |', '| ----: | -----: |', '|    10 | 4.2 ms |', '| 1,000 | 310 ms |'].join('\n'),
    );
  });

  it('escapes pipes and flattens line breaks inside cells', () => {
    const table = markdownTable(['a'], [['x | y\nz']]);
    expect(table.split('\n')[2]).toBe('| x \\| y z |');
  });

  it('counts characters, not UTF-16 units, when padding', () => {
    const table = markdownTable(['µs'], [['1 µs'], ['→']]);
    expect(table.split('\n').map((line) => [...line].length)).toEqual([8, 8, 8, 8]);
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(/row 1 has 1 cells/);
  });
});
