import { describe, expect, it } from 'vitest';
import { splitImport } from '../../../../cli/remote/split-import.js';
import { parseImport } from '../../../../core/subscribers-admin/parse-import.js';

const rules = {
  cadences: ['immediate', 'daily', 'weekly'] as const,
  defaultCadence: 'weekly' as const,
  knownTopics: [],
};

describe('splitImport', () => {
  it('repeats the header and keeps line numbers pointing into the file', () => {
    const text = [
      '',
      'email,cadence',
      'a@example.org,daily',
      '',
      'bad',
      'c@example.org,',
      'd@example.org,weekly',
    ].join('\r\n');
    const { parts, duplicates } = splitImport(text, { rows: 2 });
    expect(duplicates).toEqual([]);
    expect(parts.map((p) => [p.firstLine, p.lastLine, p.lineOffset])).toEqual([
      [3, 5, 1],
      [6, 7, 4],
    ]);
    const rows = parts.flatMap((p) => {
      const parsed = parseImport(p.csv, { ...rules, lineOffset: p.lineOffset });
      if (!parsed.ok) throw new Error(parsed.problem);
      return [
        ...parsed.rows.map((r) => `${r.row}:${r.email}`),
        ...parsed.rejected.map((r) => `${r.row}:${r.reason}`),
      ];
    });
    expect(rows.sort()).toEqual([
      '3:a@example.org',
      '5:email: must contain exactly one @',
      '6:c@example.org',
      '7:d@example.org',
    ]);
  });

  it('numbers lines without a header too, and cuts by size', () => {
    const text = Array.from({ length: 30 }, (_, i) => `reader${i + 1}@example.org`).join('\n');
    const { parts } = splitImport(text, { bytes: 120 });
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(Buffer.byteLength(part.csv)).toBeLessThanOrEqual(121);
      const parsed = parseImport(part.csv, { ...rules, lineOffset: part.lineOffset });
      expect(parsed.ok && parsed.rows.map((r) => r.row)).toEqual(
        Array.from({ length: part.lastLine - part.firstLine + 1 }, (_, i) => part.firstLine + i),
      );
      expect(parsed.ok && parsed.rows[0]?.email).toBe(`reader${part.firstLine}@example.org`);
    }
  });

  it('imports an address once, from its first row, across parts', () => {
    const text = 'email\nA@example.org\nb@example.org\nc@example.org\na@example.org\n';
    const { parts, duplicates } = splitImport(text, { rows: 2 });
    expect(duplicates).toEqual([{ row: 5, reason: 'duplicate: the same address as row 2' }]);
    expect(parts.map((p) => p.csv)).toEqual([
      'email\nA@example.org\nb@example.org\n',
      'email\nc@example.org\n\n',
    ]);
  });
});
