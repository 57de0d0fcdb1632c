import { describe, expect, it } from 'vitest';
import { parsePost } from '../../../core/content/parse-post.js';
import type { ContentProblem, Post } from '../../../core/model.js';
import { postFile } from './fixtures.js';

const BERLIN = 'Europe/Berlin';

function parse(name: string, frontMatter: string[], body?: string) {
  return parsePost(postFile(name, frontMatter, body), BERLIN);
}

function postOf(name: string, frontMatter: string[], body?: string): Post {
  const result = parse(name, frontMatter, body);
  if (!result.ok) throw new Error(`expected a post, got ${JSON.stringify(result.problems)}`);
  return result.value.post;
}

function problemsOf(file: { path: string; text: string }): ContentProblem[] {
  const result = parsePost(file, BERLIN);
  if (result.ok) throw new Error('expected problems, got a post');
  return result.problems;
}

const at = (line: number | undefined, message: string, file = 'posts/p.md'): ContentProblem =>
  line === undefined ? { file, message } : { file, line, message };

describe('parsePost', () => {
  it('parses every field to exactly the expected values', () => {
    const file = {
      path: 'posts/full-post.md',
      text: [
        '---',
        'title: "Full post: every field"',
        'date: 2022-01-13 09:30',
        'updated: 2022-01-14T10:00:00Z',
        'summary: >-',
        '  Two lines',
        '  of summary.',
        'tags: [Foreign Policy, NATO, nato, "Café Society"]',
        'author: Ada Editor',
        'image: { src: /images/map.png, alt: "A map of Europe" }',
        'draft: false',
        'slug: every-field',
        'credit:',
        '  name: The Wall Street Journal',
        '  url: https://www.wsj.com/',
        '---',
        '',
        '',
        'First paragraph.',
        '',
        'Second paragraph.',
        '',
      ].join('\n'),
    };
    expect(parsePost(file, BERLIN)).toEqual({
      ok: true,
      value: {
        slugLine: 12,
        post: {
          slug: 'every-field',
          title: 'Full post: every field',
          date: new Date('2022-01-13T08:30:00Z'),
          updated: new Date('2022-01-14T10:00:00Z'),
          summary: 'Two lines of summary.',
          tags: ['foreign-policy', 'nato', 'cafe-society'],
          author: 'Ada Editor',
          image: { src: '/images/map.png', alt: 'A map of Europe' },
          credit: { name: 'The Wall Street Journal', url: 'https://www.wsj.com/' },
          draft: false,
          body: 'First paragraph.\n\nSecond paragraph.',
          source: { file: 'posts/full-post.md', bodyLine: 19 },
        } satisfies Post,
      },
    });
  });

  it('reads dates in each publication’s own time zone, one after the other', () => {
    const file = postFile('zoned', ['title: Zoned', 'date: 2022-01-13 09:30']);
    const dates = ['Europe/Berlin', 'America/New_York', 'Europe/Berlin', 'UTC'].map((zone) => {
      const result = parsePost(file, zone);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      return result.value.post.date.toISOString();
    });
    expect(dates).toEqual([
      '2022-01-13T08:30:00.000Z',
      '2022-01-13T14:30:00.000Z',
      '2022-01-13T08:30:00.000Z',
      '2022-01-13T09:30:00.000Z',
    ]);
  });

  it('defaults: slug from the file name, no tags, not a draft', () => {
    const post = postOf('hello-world', ['title: Hello', 'date: 2022-01-13']);
    expect(post).toEqual({
      slug: 'hello-world',
      title: 'Hello',
      date: new Date('2022-01-12T23:00:00Z'),
      tags: [],
      draft: false,
      body: 'Some words.',
      source: { file: 'posts/hello-world.md', bodyLine: 6 },
    });
  });

  it('reads numbers and booleans as the text written where text is expected', () => {
    const post = postOf('p', ['title: 1984', 'date: 2022-01-13', 'author: true', 'tags: [2022, yes]']);
    expect(post.title).toBe('1984');
    expect(post.author).toBe('true');
    expect(post.tags).toEqual(['2022', 'yes']);
  });

  it('accepts credit as a bare name', () => {
    expect(postOf('p', ['title: T', 'date: 2022-01-13', 'credit: Reuters']).credit).toEqual({
      name: 'Reuters',
    });
  });

  it('reads CRLF files and a byte order mark', () => {
    const file = {
      path: 'posts/p.md',
      text: '\uFEFF---\r\ntitle: T\r\ndate: 2022-01-13\r\n---\r\nBody\r\nline two\r\n',
    };
    const result = parsePost(file, BERLIN);
    expect(result.ok && result.value.post.body).toBe('Body\nline two');
    expect(result.ok && result.value.post.source.bodyLine).toBe(5);
  });

  it('keeps a front matter fence inside the body as body text', () => {
    const post = postOf('p', ['title: T', 'date: 2022-01-13'], 'Above\n\n---\n\nBelow');
    expect(post.body).toBe('Above\n\n---\n\nBelow');
  });

  describe('problems, each with file and line', () => {
    it('file without front matter: line 1', () => {
      expect(problemsOf({ path: 'posts/p.md', text: '# Just Markdown\n' })).toEqual([
        at(1, "no front matter: start the file with a '---' line, then title: and date:, then '---'"),
      ]);
    });

    it('front matter never closed: line 1', () => {
      expect(problemsOf({ path: 'posts/p.md', text: '---\ntitle: T\ndate: 2022-01-13\n\nBody\n' })).toEqual([
        at(1, "front matter is not closed: add a '---' line after its last field"),
      ]);
    });

    it('missing title: line 1, the front matter', () => {
      expect(problemsOf(postFile('p', ['date: 2022-01-13']))).toEqual([at(1, 'title is required')]);
    });

    it('empty title: the line of the title', () => {
      expect(problemsOf(postFile('p', ['date: 2022-01-13', 'title: ""']))).toEqual([
        at(3, 'title is required'),
      ]);
    });

    it('title on several lines', () => {
      expect(problemsOf(postFile('p', ['title: |', '  One', '  Two', 'date: 2022-01-13']))).toEqual([
        at(2, 'title must be one line'),
      ]);
    });

    it('missing date', () => {
      expect(problemsOf(postFile('p', ['title: T']))).toEqual([at(1, 'date is required')]);
    });

    it('unparseable date', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: Jan 13th']))).toEqual([
        at(3, "date 'Jan 13th' is not a date (use YYYY-MM-DD or ISO 8601)"),
      ]);
    });

    it('a date that does not exist', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-02-29']))).toEqual([
        at(3, "date '2022-02-29' is not a date (use YYYY-MM-DD or ISO 8601)"),
      ]);
    });

    it('a date given as a number', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 20220113']))).toEqual([
        at(3, "date '20220113' is not a date (use YYYY-MM-DD or ISO 8601)"),
      ]);
    });

    it('unparseable updated, and updated before date', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'updated: soon']))).toEqual([
        at(4, "updated 'soon' is not a date (use YYYY-MM-DD or ISO 8601)"),
      ]);
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'updated: 2022-01-12']))).toEqual([
        at(4, 'updated is before date'),
      ]);
    });

    it('malformed YAML', () => {
      expect(
        problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'tags: [a, b', 'draft: true'])),
      ).toEqual([at(4, "malformed YAML: '[' is never closed with ']'")]);
    });

    it('a quote never closed: the line it opens on', () => {
      expect(problemsOf(postFile('p', ['date: 2022-01-13', 'title: "Half', 'draft: true']))).toEqual([
        at(3, 'malformed YAML: the quote " is never closed'),
      ]);
    });

    it('a tab used for indentation', () => {
      const [problem] = problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'image:', '\tsrc: a.png']));
      expect(problem).toMatchObject({
        file: 'posts/p.md',
        line: 5,
        message: expect.stringMatching(/^malformed YAML: /),
      });
    });

    it('a field given twice', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'title: U']))).toEqual([
        at(4, "field 'title' appears twice"),
      ]);
    });

    it('unknown field, with a suggestion', () => {
      expect(problemsOf(postFile('p', ['tittle: T', 'date: 2022-01-13']))).toEqual([
        at(1, 'title is required'),
        at(2, "unknown field 'tittle' (did you mean 'title'?)"),
      ]);
    });

    it('unknown field without a close match', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'layout: wide']))).toEqual([
        at(4, "unknown field 'layout'"),
      ]);
    });

    it('image without alt', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'image:', '  src: /a.png']))).toEqual([
        at(4, 'image needs alt text'),
      ]);
    });

    it('image with empty alt', () => {
      expect(
        problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'image: { src: /a.png, alt: " " }'])),
      ).toEqual([at(4, 'image needs alt text')]);
    });

    it('image given as a bare address', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'image: /a.png']))).toEqual([
        at(4, 'image must be src: and alt: fields, e.g. { src: /images/a.jpg, alt: What it shows }'),
      ]);
    });

    it.each(['javascript:alert(1)', 'data:image/svg+xml;base64,PHN2Zz4=', 'vbscript:x', '/a b.png'])(
      'image src %s',
      (src) => {
        const problems = problemsOf(
          postFile('p', ['title: T', 'date: 2022-01-13', 'image:', `  src: "${src}"`, '  alt: A']),
        );
        expect(problems).toEqual([
          at(5, `image.src '${src}' must be an http(s) URL or a path without spaces`),
        ]);
      },
    );

    it('draft that is not a boolean', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'draft: yes']))).toEqual([
        at(4, "draft must be true or false, not 'yes'"),
      ]);
    });

    it('tags not a list, and a tag with nothing left after normalizing', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'tags: russia, nato']))).toEqual([
        at(4, 'tags must be a list, e.g. [russia, nato]'),
      ]);
      expect(
        problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'tags:', '  - ok', '  - "!!!"'])),
      ).toEqual([at(6, "tag '!!!' has no letters or digits (a-z, 0-9) to make a tag page from")]);
    });

    it('invalid slug override', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', 'slug: Hello World']))).toEqual([
        at(
          4,
          "slug 'Hello World' is not a valid slug (lowercase a-z, 0-9 and single hyphens, at most 80 characters, e.g. hello-world)",
        ),
      ]);
    });

    it('a file name that is not a slug, without an override', () => {
      expect(
        problemsOf({ ...postFile('x', ['title: T', 'date: 2022-01-13']), path: 'posts/Hello World.md' }),
      ).toEqual([
        at(
          undefined,
          "file name 'Hello World' is not a valid slug: rename it to posts/hello-world.md or set slug:",
          'posts/Hello World.md',
        ),
      ]);
      // an override makes the file name irrelevant
      const ok = parsePost(
        { ...postFile('x', ['title: T', 'date: 2022-01-13', 'slug: hello']), path: 'posts/Hello World.md' },
        BERLIN,
      );
      expect(ok.ok && ok.value.post.slug).toBe('hello');
    });

    it('credit url that is not http(s)', () => {
      expect(
        problemsOf(
          postFile('p', [
            'title: T',
            'date: 2022-01-13',
            'credit:',
            '  name: X',
            '  url: javascript:alert(1)',
          ]),
        ),
      ).toEqual([at(6, "credit.url 'javascript:alert(1)' must be an http(s) URL")]);
    });

    it('empty body: the line of the closing fence', () => {
      expect(problemsOf(postFile('p', ['title: T', 'date: 2022-01-13'], '   \n\n'))).toEqual([
        at(4, "the post has no body: write it below the closing '---'"),
      ]);
    });

    it('front matter that is a list', () => {
      expect(problemsOf(postFile('p', ['- title', '- date']))).toEqual([
        at(1, 'front matter must be fields (title:, date:, …), one per line'),
      ]);
    });

    it('a key named __proto__ is an unknown field, not a prototype', () => {
      expect(
        problemsOf(postFile('p', ['title: T', 'date: 2022-01-13', '__proto__: { draft: "true" }'])),
      ).toEqual([at(4, "unknown field '__proto__'")]);
    });

    it('an alias bomb is refused', () => {
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
      for (let i = 0; i < 6; i++)
        bomb.push(`${'bcdefg'[i]}: &${'bcdefg'[i]} [${Array(10).fill(`*${'abcdef'[i]}`).join(',')}]`);
      expect(problemsOf(postFile('p', bomb))).toEqual([at(2, 'YAML aliases expand too far')]);
    });

    it('every problem of the file at once, front matter and body', () => {
      const problems = problemsOf(
        postFile('p', ['title: ""', 'date: someday', 'image: { src: /a.png }', 'colour: red'], ''),
      );
      expect(problems.map((p) => [p.line, p.message])).toEqual([
        [6, "the post has no body: write it below the closing '---'"],
        [2, 'title is required'],
        [3, "date 'someday' is not a date (use YYYY-MM-DD or ISO 8601)"],
        [4, 'image needs alt text'],
        [5, "unknown field 'colour'"],
      ]);
    });
  });
});
