import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../../core/subscribers-admin/parse-import.js';
import { csvLine, readCsvLines } from '../../../core/subscribers-admin/read-csv-lines.js';

const rules = {
  cadences: ['immediate', 'daily', 'weekly'] as const,
  defaultCadence: 'weekly' as const,
  knownTopics: ['europe', 'security', 'trade'],
};

function parse(text: string, extra: Partial<Parameters<typeof parseImport>[1]> = {}) {
  const result = parseImport(text, { ...rules, ...extra });
  if (!result.ok) throw new Error(`unexpected refusal: ${result.problem}`);
  return result;
}

describe('readCsvLines', () => {
  it('reads quoted fields, doubled quotes, spaces and every line ending', () => {
    const { records, problems } = readCsvLines('\ufeffa,"b, c","say ""hi"""\r\n d ,  "e"\rf\n');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 2, fields: ['d', 'e'] },
      { line: 3, fields: ['f'] },
    ]);
  });

  it('costs a broken quote its own line only, and keeps counting lines', () => {
    const { records, problems } = readCsvLines(
      '"open,x\nok@example.org\nbad"quote,y\n"a"b\n\nlast@example.org',
    );
    expect(problems.map((p) => p.line)).toEqual([1, 3, 4]);
    expect(problems[0]?.reason).toMatch(/not closed on this line/);
    expect(problems[1]?.reason).toMatch(/quote inside an unquoted field/);
    expect(problems[2]?.reason).toMatch(/text after a closing quote/);
    expect(records).toEqual([
      { line: 2, fields: ['ok@example.org'] },
      { line: 6, fields: ['last@example.org'] },
    ]);
  });

  it('writes fields that read back the same, and defuses formulas', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme-ascii' }), { minLength: 1, maxLength: 5 }),
        (fields) => {
          const clean = fields.map((f) => f.replace(/[\r\n]/g, ' ').trim());
          const line = csvLine(clean);
          const read = readCsvLines(line);
          if (clean.every((f) => f === '') && clean.length === 1) return;
          expect(read.problems).toEqual([]);
          // A field a spreadsheet would run as a formula reads back behind one apostrophe.
          const defused = clean.map((f) => (/^[=+\-@\t\r]/.test(f) ? `'${f}` : f));
          expect(read.records[0]?.fields).toEqual(defused);
        },
      ),
    );
    expect(csvLine(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', 'plain'])).toBe(
      `"'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1),plain`,
    );
  });
});

describe('parseImport', () => {
  it('reads a header in any order, with aliases, and ignores other columns', () => {
    const result = parse(
      'Name,Tags,E-mail Address,Cadence\nAnn,"europe; trade",Ann@Example.ORG,daily\nBob,,bob@example.org,\n',
    );
    expect(result.columns).toMatchObject({
      header: true,
      email: 2,
      cadence: 3,
      topics: 1,
      ignored: ['Name'],
    });
    expect(result.rows).toEqual([
      { row: 2, email: 'ann@example.org', cadence: 'daily', topics: ['europe', 'trade'] },
      { row: 3, email: 'bob@example.org', cadence: 'weekly', topics: [] },
    ]);
    expect(result.rejected).toEqual([]);
  });

  it('reads email,cadence,topics by position when there is no header', () => {
    const result = parse('a@example.org,immediate,security|europe\nb@example.org\n');
    expect(result.columns.header).toBe(false);
    expect(result.rows).toEqual([
      { row: 1, email: 'a@example.org', cadence: 'immediate', topics: ['security', 'europe'] },
      { row: 2, email: 'b@example.org', cadence: 'weekly', topics: [] },
    ]);
  });

  it('rejects every bad row with its line and reason, and keeps the good ones', () => {
    const csv = [
      'email,cadence,topics',
      'good@example.org,weekly,',
      'not-an-address,weekly,',
      'x@example.org,hourly,',
      'y@example.org,daily,pets',
      'Good@Example.org,daily,',
      '"z@example.org\u0007",weekly,',
      '"broken@example.org,weekly',
      'a"b@example.org,weekly,',
      ',weekly,',
      `${'l'.repeat(250)}@example.org,,`,
      '"victim@example.org',
      'bcc@example.org",weekly',
      'last@example.org,IMMEDIATE,Europe',
    ].join('\r\n');
    const result = parse(csv);
    expect(result.rows.map((r) => [r.row, r.email, r.cadence, r.topics])).toEqual([
      [2, 'good@example.org', 'weekly', []],
      [14, 'last@example.org', 'immediate', ['europe']],
    ]);
    const reasons = Object.fromEntries(result.rejected.map((r) => [r.row, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(reasons[3]).toBe('email: must contain exactly one @');
    expect(reasons[4]).toBe('cadence: unknown cadence "hourly" (one of immediate, daily, weekly)');
    expect(reasons[5]).toMatch(/^topics: unknown topic "pets" \(known: europe, security, trade\)/);
    expect(reasons[6]).toBe('duplicate: the same address as row 2');
    expect(reasons[7]).toBe('a field holds a control character');
    expect(reasons[8]).toMatch(/not closed on this line/);
    expect(reasons[9]).toMatch(/quote inside an unquoted field/);
    expect(reasons[10]).toBe('email: is empty');
    expect(reasons[11]).toMatch(/^email: must be at most 254 characters/);
    // A line break inside quotes cannot carry a second address into the row.
    expect(reasons[12]).toMatch(/not closed/);
    expect(reasons[13]).toMatch(/quote inside an unquoted field/);
  });

  it('numbers lines from an offset, so parts of a long file point into it', () => {
    const result = parse('email\nbad\nok@example.org\n', { lineOffset: 500 });
    expect(result.rejected).toEqual([{ row: 502, reason: 'email: must contain exactly one @' }]);
    expect(result.rows[0]?.row).toBe(503);
  });

  it('undoes the apostrophe an export puts before a formula-like cell', () => {
    const result = parse("email\n'-dash@example.org\n");
    expect(result.rows[0]?.email).toBe('-dash@example.org');
  });

  it('refuses a whole file that is too large, too long, binary or has no email column', () => {
    const many = `email\n${Array.from({ length: 11 }, (_, i) => `r${i}@example.org`).join('\n')}`;
    expect(parseImport(many, { ...rules, maxRows: 10 })).toEqual({
      ok: false,
      problem: expect.stringMatching(/has 11 rows; one import takes at most 10 .*gazette subscribers import/),
    });
    expect(parseImport('x'.repeat(2000), { ...rules, maxBytes: 1000 })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/2,000 bytes; one import takes at most 1,000/),
    });
    expect(parseImport('email\na@example.org\u0000', rules)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not text/),
    });
    expect(parseImport('name,cadence\nAnn,weekly', rules)).toEqual({
      ok: false,
      problem: 'the header (line 1) has no email column: name it "email" (other columns: cadence, topics)',
    });
  });

  it('accounts for every non-blank line exactly once, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              'a@example.org',
              'b@example.org,daily',
              '"c@example.org",weekly,europe',
              'bad',
              '"x',
              'y"',
              '',
            ),
            fc.string({ maxLength: 30 }),
          ),
          { maxLength: 30 },
        ),
        (lines) => {
          const text = ['email,cadence,topics', ...lines].join('\n');
          const result = parseImport(text, rules);
          if (!result.ok) return;
          const nonBlank = text.split(/\r\n|\n|\r/).filter((l, i) => i > 0 && l.trim() !== '').length;
          expect(result.rows.length + result.rejected.length).toBe(nonBlank);
          const rows = [...result.rows.map((r) => r.row), ...result.rejected.map((r) => r.row)];
          expect(new Set(rows).size).toBe(rows.length);
        },
      ),
    );
  });
});
