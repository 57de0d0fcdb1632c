import { describe, expect, it } from 'vitest';
import type { ContentFile } from '../../../core/content/content-file.js';
import { checkContent, loadContent, loadPublication } from '../../../core/content/load-content.js';
import { ContentError } from '../../../core/errors.js';
import type { ContentProblem } from '../../../core/model.js';
import { PUBLICATION_YAML, postFile, publicationFile } from './fixtures.js';

function problemsOf(files: ContentFile[]): ContentProblem[] {
  const checked = checkContent(files);
  if (checked.ok) throw new Error('expected problems');
  return checked.problems;
}

const good = (name: string, date = '2022-01-13') => postFile(name, [`title: ${name}`, `date: ${date}`]);

describe('loadContent', () => {
  it('loads the publication and every post, drafts and future ones included, in file order', () => {
    const content = loadContent([
      good('b-post'),
      publicationFile(),
      postFile('a-post', ['title: A', 'date: 2030-01-01', 'draft: true']),
    ]);
    expect(content.publication.title).toBe('The Test Post');
    expect(content.posts.map((p) => [p.slug, p.draft])).toEqual([
      ['a-post', true],
      ['b-post', false],
    ]);
  });

  it("reads post dates in the publication's time zone", () => {
    const utc = PUBLICATION_YAML.replace('timeZone: Europe/Berlin\n', 'timeZone: America/New_York\n');
    const { posts } = loadContent([publicationFile(utc), good('p')]);
    expect(posts[0]?.date.toISOString()).toBe('2022-01-13T05:00:00.000Z');
  });

  it('ignores files that are neither publication.yaml nor posts', () => {
    const content = loadContent([
      publicationFile(),
      good('p'),
      { path: 'README.md', text: 'not a post' },
      { path: 'drafts/idea.md', text: 'no front matter' },
      { path: 'posts/images/map.png', text: '\u0089PNG' },
      { path: 'posts/.hidden.md', text: 'editor swap' },
    ]);
    expect(content.posts.map((p) => p.slug)).toEqual(['p']);
  });

  it('an empty publication (no posts) is valid', () => {
    expect(loadContent([publicationFile()]).posts).toEqual([]);
  });

  it('reports a missing publication.yaml', () => {
    expect(problemsOf([good('p')])).toEqual([
      { file: 'publication.yaml', message: 'publication.yaml is missing from the content folder' },
    ]);
  });

  it('points out Markdown files that would silently not be published', () => {
    expect(
      problemsOf([
        publicationFile(),
        { path: 'posts/old.markdown', text: '' },
        { path: 'posts/2022/nested.md', text: '' },
        { path: 'posts/SHOUT.MD', text: '' },
        { path: 'publication.yml', text: '' },
      ]),
    ).toEqual([
      {
        file: 'posts/2022/nested.md',
        message: 'posts sit directly in posts/: move this file to posts/nested.md',
      },
      { file: 'posts/SHOUT.MD', message: 'only .md files are posts: rename this file to posts/SHOUT.md' },
      { file: 'posts/old.markdown', message: 'only .md files are posts: rename this file to posts/old.md' },
      { file: 'publication.yml', message: 'rename publication.yml to publication.yaml' },
    ]);
  });

  it('reports a duplicate slug naming both files', () => {
    expect(
      problemsOf([
        publicationFile(),
        good('hello'),
        postFile('other', ['title: O', 'date: 2022-01-13', 'slug: hello']),
      ]),
    ).toEqual([
      {
        file: 'posts/other.md',
        line: 4,
        message: "slug 'hello' is used by posts/hello.md and posts/other.md",
      },
    ]);
  });

  it('names every file of a slug used three times, once', () => {
    const files = [
      publicationFile(),
      ...['a', 'b', 'c'].map((n) => postFile(n, ['title: T', 'date: 2022-01-13', 'slug: same'])),
    ];
    expect(problemsOf(files)).toEqual([
      {
        file: 'posts/a.md',
        line: 4,
        message: "slug 'same' is used by posts/a.md, posts/b.md and posts/c.md",
      },
    ]);
  });

  it('reports a duplicate slug even when one of the posts has other problems', () => {
    const problems = problemsOf([
      publicationFile(),
      good('hello'),
      postFile('other', ['title: O', 'date: whenever', 'slug: hello']),
    ]);
    expect(problems).toEqual([
      {
        file: 'posts/other.md',
        line: 3,
        message: "date 'whenever' is not a date (use YYYY-MM-DD or ISO 8601)",
      },
      {
        file: 'posts/other.md',
        line: 4,
        message: "slug 'hello' is used by posts/hello.md and posts/other.md",
      },
    ]);
  });

  it('reports every problem of every file at once, sorted by file then line', () => {
    const files: ContentFile[] = [
      postFile('zeta', ['title: Z', 'date: 2022-01-13', 'image:', '  src: /z.png']),
      postFile('alpha', ['date: Jan 13th']),
      publicationFile(PUBLICATION_YAML.replace('  weekly:', '  monthly:')),
      { path: 'posts/broken.md', text: '---\ntitle: [B\ndate: 2022-01-13\n---\nbody\n' },
      postFile('dup', ['title: D', 'date: 2022-01-13', 'slug: zeta']),
    ];
    expect(() => loadContent(files)).toThrow(ContentError);
    try {
      loadContent(files);
    } catch (error) {
      const problems = (error as ContentError).problems;
      expect(problems).toEqual([
        { file: 'posts/alpha.md', line: 1, message: 'title is required' },
        {
          file: 'posts/alpha.md',
          line: 2,
          message: "date 'Jan 13th' is not a date (use YYYY-MM-DD or ISO 8601)",
        },
        { file: 'posts/broken.md', line: 2, message: "malformed YAML: '[' is never closed with ']'" },
        { file: 'posts/dup.md', line: 4, message: "slug 'zeta' is used by posts/dup.md and posts/zeta.md" },
        { file: 'posts/zeta.md', line: 4, message: 'image needs alt text' },
        {
          file: 'publication.yaml',
          line: 22,
          message: "unknown cadence 'monthly' under schedule (use daily or weekly)",
        },
      ]);
      expect((error as ContentError).message).toBe(
        [
          'posts/alpha.md:1: title is required',
          "posts/alpha.md:2: date 'Jan 13th' is not a date (use YYYY-MM-DD or ISO 8601)",
          "posts/broken.md:2: malformed YAML: '[' is never closed with ']'",
          "posts/dup.md:4: slug 'zeta' is used by posts/dup.md and posts/zeta.md",
          'posts/zeta.md:4: image needs alt text',
          "publication.yaml:22: unknown cadence 'monthly' under schedule (use daily or weekly)",
        ].join('\n'),
      );
    }
  });

  it('still checks the posts when publication.yaml is invalid', () => {
    const problems = problemsOf([
      publicationFile('title: Only a title\n'),
      postFile('p', ['date: 2022-01-13']),
    ]);
    expect(problems.filter((p) => p.file === 'posts/p.md')).toEqual([
      { file: 'posts/p.md', line: 1, message: 'title is required' },
    ]);
    expect(problems.filter((p) => p.file === 'publication.yaml').length).toBeGreaterThan(3);
  });
});

describe('loadPublication', () => {
  it('reads only publication.yaml, so a broken post does not stop it', () => {
    const publication = loadPublication([publicationFile(), { path: 'posts/bad.md', text: 'nothing' }]);
    expect(publication.timeZone).toBe('Europe/Berlin');
  });

  it('throws a ContentError when publication.yaml is missing or invalid', () => {
    expect(() => loadPublication([])).toThrow(
      'publication.yaml: publication.yaml is missing from the content folder',
    );
    expect(() =>
      loadPublication([
        publicationFile(PUBLICATION_YAML.replace('timeZone: Europe/Berlin', 'timeZone: Nowhere')),
      ]),
    ).toThrow(/^publication\.yaml:5: timeZone 'Nowhere' is not an IANA time zone/);
  });
});
