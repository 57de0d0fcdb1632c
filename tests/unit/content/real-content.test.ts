import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContentFile } from '../../../core/content/content-file.js';
import { checkContent } from '../../../core/content/load-content.js';
import { selectPublished } from '../../../core/content/select-published.js';

const root = join(import.meta.dirname, '..', '..', '..');
const contentDir = join(root, 'content');

function readAll(dir: string): ContentFile[] {
  const out: ContentFile[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...readAll(path));
    else
      out.push({ path: relative(contentDir, path).split(sep).join('/'), text: readFileSync(path, 'utf8') });
  }
  return out;
}

/** Sentences of a text, typographic quotes and all, for comparing the post with its source. */
function sentences(text: string): string[] {
  return text
    .replace(/\*\*/g, '')
    .split(/\n+/)
    .flatMap((paragraph) => paragraph.split(/(?<=[.!?”)])\s+(?=[“A-Z(])/))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

describe('the content folder', () => {
  const files = readAll(contentDir);
  const checked = checkContent(files);

  it('loads without problems', () => {
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  it('is the Gazette Dispatch publication', () => {
    if (!checked.ok) throw new Error('content has problems');
    expect(checked.publication).toMatchObject({
      title: 'Gazette Dispatch',
      url: 'https://dispatch.example.com/',
      language: 'en',
      timeZone: 'Europe/Berlin',
      email: { from: { name: 'Gazette Dispatch', address: 'dispatch@dispatch.example.com' } },
      schedule: {
        daily: { time: '07:00', timeZone: 'Europe/Berlin' },
        weekly: { day: 'friday', time: '09:00', timeZone: 'Europe/Berlin' },
      },
      feed: { items: 20, content: 'full' },
    });
    expect(checked.publication.postalAddress.split('\n').length).toBeGreaterThanOrEqual(3);
  });

  it('publishes the first post on 13 January 2022, crediting its source', () => {
    if (!checked.ok) throw new Error('content has problems');
    const [post] = selectPublished(checked.posts, new Date('2022-01-13T12:00:00Z'));
    expect(post).toMatchObject({
      slug: 'russia-cuba-venezuela-deployment',
      date: new Date('2022-01-12T23:00:00Z'),
      draft: false,
      credit: { name: 'The Wall Street Journal' },
    });
    expect(post?.title).toMatch(/Russia won’t rule out military deployments to Cuba and Venezuela/);
    expect(post?.summary).toBeTruthy();
    expect(post?.tags).toEqual(expect.arrayContaining(['russia', 'nato', 'diplomacy']));
  });

  it('keeps every sentence of the source text and drops the visit counter', () => {
    if (!checked.ok) throw new Error('content has problems');
    // The text the post was written from, as received, visit counter included.
    const source = readFileSync(join(import.meta.dirname, 'golden', 'first-post-source.txt'), 'utf8');
    expect(source).toMatch(/\(Visited [\d,]+ times, \d+ visits today\)\s*$/);
    const body = checked.posts.find((p) => p.slug === 'russia-cuba-venezuela-deployment')?.body ?? '';
    expect(body).not.toMatch(/Visited/);
    expect(sentences(body)).toEqual(
      sentences(source.replace(/\(Visited [\d,]+ times, \d+ visits today\)\s*$/, '')),
    );
    // The lead-ins keep their words, now bold.
    for (const lead of ['Background:', 'What Happened:', 'What Comes Next:'])
      expect(body).toContain(`**${lead}**`);
  });
});
