import { describe, expect, it } from 'vitest';
import { parsePublication } from '../../../core/content/parse-publication.js';
import type { ContentProblem, Publication } from '../../../core/model.js';
import { PUBLICATION_YAML, publicationFile } from './fixtures.js';

function problemsOf(text: string): ContentProblem[] {
  const result = parsePublication(publicationFile(text));
  if (result.ok) throw new Error('expected problems, got a publication');
  return result.problems;
}

/** The fixture with one line replaced (or removed, with `null`). */
function edit(find: string, replace: string | null): string {
  const lines = PUBLICATION_YAML.split('\n');
  const at = lines.indexOf(find);
  if (at < 0) throw new Error(`fixture has no line ${find}`);
  if (replace === null) lines.splice(at, 1);
  else lines[at] = replace;
  return lines.join('\n');
}

describe('parsePublication', () => {
  it('parses a valid publication to exactly the expected values', () => {
    const result = parsePublication(publicationFile());
    expect(result).toEqual({
      ok: true,
      value: {
        title: 'The Test Post',
        description: 'A publication for tests.',
        url: 'https://news.example.com/',
        language: 'en-GB',
        timeZone: 'Europe/Berlin',
        author: { name: 'Ada Editor', email: 'ada@news.example.com' },
        email: {
          from: { name: 'The Test Post', address: 'post@news.example.com' },
          replyTo: 'desk@news.example.com',
        },
        postalAddress: 'The Test Post\n1 Example Street\n10115 Berlin',
        schedule: {
          daily: { time: '07:00', timeZone: 'Europe/Berlin' },
          // day normalized to lowercase, time to HH:MM, time zone inherited from the publication
          weekly: { day: 'friday', time: '09:30', timeZone: 'Europe/Berlin' },
        },
        feed: { items: 10, content: 'summary' },
      } satisfies Publication,
    });
  });

  it('fills in defaults: feed items 20 with full content, no schedule', () => {
    const text = PUBLICATION_YAML.slice(0, PUBLICATION_YAML.indexOf('schedule:'));
    const result = parsePublication(publicationFile(text));
    expect(result.ok && result.value.feed).toEqual({ items: 20, content: 'full' });
    expect(result.ok && result.value.schedule).toEqual({});
  });

  it('keeps the path of the base URL and ends it with a slash', () => {
    const result = parsePublication(
      publicationFile(edit('url: https://news.example.com', 'url: https://Example.com/news')),
    );
    expect(result.ok && result.value.url).toBe('https://example.com/news/');
  });

  it('canonicalizes the language tag and the time zone spelling', () => {
    const text = edit('language: en-GB', 'language: EN-gb').replace(
      'timeZone: Europe/Berlin\n',
      'timeZone: europe/berlin\n',
    );
    const result = parsePublication(publicationFile(text));
    expect(result.ok && result.value.language).toBe('en-GB');
    expect(result.ok && result.value.timeZone).toBe('Europe/Berlin');
  });

  it('accepts author as a bare name', () => {
    const text = PUBLICATION_YAML.replace(
      'author:\n  name: Ada Editor\n  email: ada@news.example.com\n',
      'author: Ada Editor\n',
    );
    const result = parsePublication(publicationFile(text));
    expect(result.ok && result.value.author).toEqual({ name: 'Ada Editor' });
  });

  it('reports malformed YAML with its line', () => {
    expect(problemsOf(edit('  email: ada@news.example.com', '  email: [ada@news.example.com'))).toEqual([
      { file: 'publication.yaml', line: 8, message: "malformed YAML: '[' is never closed with ']'" },
    ]);
  });

  it('reports a field given twice with its line', () => {
    expect(problemsOf(`${PUBLICATION_YAML}title: Again\n`)).toEqual([
      { file: 'publication.yaml', line: 28, message: "field 'title' appears twice" },
    ]);
  });

  it('names an unknown field, its line and the likely intended one', () => {
    expect(problemsOf(edit('language: en-GB', 'langauge: en-GB'))).toEqual([
      { file: 'publication.yaml', message: 'language is required' },
      { file: 'publication.yaml', line: 4, message: "unknown field 'langauge' (did you mean 'language'?)" },
    ]);
  });

  it('names an unknown nested field with its path', () => {
    expect(
      problemsOf(edit('    address: post@news.example.com', '    adress: post@news.example.com')),
    ).toEqual([
      // a missing field is reported on the line of the group that lacks it
      { file: 'publication.yaml', line: 10, message: 'email.from.address is required' },
      {
        file: 'publication.yaml',
        line: 12,
        message: "unknown field 'adress' in email.from (did you mean 'address'?)",
      },
    ]);
  });

  it('reports an unknown cadence under schedule by name and line', () => {
    const text = edit('  weekly:', '  monthly:');
    expect(problemsOf(text)).toEqual([
      {
        file: 'publication.yaml',
        line: 22,
        message: "unknown cadence 'monthly' under schedule (use daily or weekly)",
      },
    ]);
  });

  it('explains that immediate mail needs no schedule', () => {
    const [problem] = problemsOf(edit('  weekly:', '  immediate:'));
    expect(problem?.message).toMatch(/unknown cadence 'immediate'.*needs no schedule/);
    expect(problem?.line).toBe(22);
  });

  it('requires the postal address (CAN-SPAM)', () => {
    const text = PUBLICATION_YAML.replace(/postalAddress: \|\n( {2}.*\n)+/, '');
    expect(problemsOf(text)).toEqual([{ file: 'publication.yaml', message: 'postalAddress is required' }]);
  });

  it('treats an empty value as a missing one, on the line of its key', () => {
    expect(problemsOf(edit('  name: Ada Editor', '  name:'))).toEqual([
      { file: 'publication.yaml', line: 7, message: 'author.name is required' },
    ]);
  });

  it.each([
    [
      'url: https://news.example.com',
      'url: ftp://news.example.com',
      3,
      "url 'ftp://news.example.com' must be an http(s) URL",
    ],
    [
      'url: https://news.example.com',
      'url: https://news.example.com/?a=1',
      3,
      "url 'https://news.example.com/?a=1' must not have a query or a fragment",
    ],
    [
      'language: en-GB',
      'language: en_GB',
      4,
      "language 'en_GB' is not a BCP 47 language tag (e.g. en, en-GB, de)",
    ],
    [
      'timeZone: Europe/Berlin',
      'timeZone: Europe/Atlantis',
      5,
      "timeZone 'Europe/Atlantis' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)",
    ],
    [
      'timeZone: Europe/Berlin',
      'timeZone: "+01:00"',
      5,
      "timeZone '+01:00' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)",
    ],
    [
      '    address: post@news.example.com',
      '    address: post.example.com',
      12,
      "email.from.address 'post.example.com' is not an email address",
    ],
    [
      '    name: The Test Post',
      '    name: "The Test Post\\r\\nBcc: victim@example.com"',
      11,
      'email.from.name must be one line',
    ],
    [
      '  replyTo: desk@news.example.com',
      '  replyTo: [desk@news.example.com]',
      13,
      'email.replyTo must be text',
    ],
    [
      '    time: "07:00"',
      '    time: "24:00"',
      20,
      "schedule.daily.time '24:00' must be a time HH:MM (00:00 to 23:59)",
    ],
    [
      '    day: Friday',
      '    day: Freitag',
      23,
      "schedule.weekly.day 'Freitag' must be a day of the week (monday to sunday)",
    ],
    [
      '    timeZone: Europe/Berlin',
      '    timeZone: Berlin',
      21,
      "schedule.daily.timeZone 'Berlin' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)",
    ],
    ['  items: 10', '  items: 0', 26, "feed.items '0' must be a whole number from 1 to 1000"],
    ['  items: 10', '  items: 2.5', 26, "feed.items '2.5' must be a whole number from 1 to 1000"],
    ['  content: summary', '  content: excerpt', 27, "feed.content 'excerpt' must be full or summary"],
  ])('reports %s → %s on its line', (find, replace, line, message) => {
    const problems = problemsOf(edit(find, replace));
    expect(problems).toContainEqual({ file: 'publication.yaml', line, message });
  });

  it('reports a single value where a group of fields belongs', () => {
    const text = PUBLICATION_YAML.replace(/schedule:\n( {2}.*\n)+/, 'schedule: daily\n');
    expect(problemsOf(text)).toEqual([
      { file: 'publication.yaml', line: 18, message: 'schedule must be a group of fields (daily:, weekly:)' },
    ]);
  });

  it('reports every problem of the file at once', () => {
    const text = edit('language: en-GB', 'language: x_y')
      .replace('  items: 10', '  items: many')
      .replace('  daily:', '  hourly:');
    expect(problemsOf(text).map((p) => p.line)).toEqual([4, 19, 26]);
  });

  it('refuses a document that is not a group of fields', () => {
    expect(problemsOf('- title\n- url\n')).toEqual([
      { file: 'publication.yaml', message: 'publication.yaml must be a group of fields (title:, url:, …)' },
    ]);
  });
});
