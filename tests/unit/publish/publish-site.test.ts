import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryObjectStore } from '../../../adapters/fs/directory-object-store.js';
import { etagOf, planSiteChanges } from '../../../core/publish/plan-site-changes.js';
import { readPublicationRecord, withPublicationTimes } from '../../../core/publish/publication-record.js';
import { PUBLISHED_MANIFEST_KEY, publishSite } from '../../../core/publish/publish-site.js';

const page = (path: string, body: string) => ({ path, body, contentType: 'text/html; charset=utf-8' });

describe('planSiteChanges', () => {
  it('writes only changed bytes and removes stale objects outside unmanaged prefixes', () => {
    const existing = new Map([
      ['index.html', etagOf('same')],
      ['old.html', etagOf('x')],
      ['feed.xml', etagOf('old feed')],
      ['editions/weekly-2026-W48/index.html', etagOf('e')],
      ['_gazette/published.json', etagOf('{}')],
    ]);
    const changes = planSiteChanges(
      [page('index.html', 'same'), page('feed.xml', 'new feed'), page('new.html', 'n')],
      existing,
    );
    expect(changes.write.map((f) => f.path)).toEqual(['feed.xml', 'new.html']);
    expect(changes.unchanged).toEqual(['index.html']);
    expect(changes.remove).toEqual(['old.html']);
  });

  it('computes the S3 single-part entity tag (quoted MD5)', () => {
    expect(etagOf('hello')).toBe('"5d41402abc4b2a76b9719d911017c592"');
  });
});

describe('publishSite', () => {
  it('tells newly published posts, but not on the first run (no back-catalogue mail)', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'gazette-publish-')));
    const first = await publishSite(store, [page('index.html', 'a')], ['a', 'b']);
    expect(first.firstRun).toBe(true);
    expect(first.newlyPublished).toEqual([]);
    const second = await publishSite(store, [page('index.html', 'a')], ['a', 'b', 'c']);
    expect(second.firstRun).toBe(false);
    expect(second.newlyPublished).toEqual(['c']);
    expect(second.written).toEqual([]);
    const third = await publishSite(store, [page('index.html', 'a')], ['a', 'b', 'c']);
    expect(third.newlyPublished).toEqual([]);
  });

  it('treats an unreadable manifest as a first run rather than mailing every post', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'gazette-publish-')));
    await store.put(PUBLISHED_MANIFEST_KEY, 'not json');
    const report = await publishSite(store, [page('index.html', 'a')], ['a', 'b']);
    expect(report.newlyPublished).toEqual([]);
    expect(report.firstRun).toBe(true);
  });

  it('refuses object keys that would escape the output folder', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'gazette-publish-')));
    await expect(store.put('../evil.html', 'x')).rejects.toThrow(/escapes the output folder/);
  });
});

describe('the publication record', () => {
  const at = (iso: string) => new Date(iso);

  it('dates the back catalogue by its own dates and new posts by when they appeared', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'gazette-publish-')));
    const old = { slug: 'old', date: at('2022-01-13T00:00:00Z') };
    await publishSite(store, [page('index.html', 'a')], [old], { now: at('2026-11-27T06:00:00Z') });
    // Dated at midnight, committed after the 07:00 digest went out.
    const late = { slug: 'late', date: at('2026-11-27T00:00:00Z') };
    const report = await publishSite(store, [page('index.html', 'b')], [old, late], {
      now: at('2026-11-27T10:00:00Z'),
    });
    expect(report.newlyPublished).toEqual(['late']);
    const record = await readPublicationRecord(store);
    expect(record?.get('old')?.toISOString()).toBe('2022-01-13T00:00:00.000Z');
    expect(record?.get('late')?.toISOString()).toBe('2026-11-27T10:00:00.000Z');

    // A later run keeps the first appearance.
    await publishSite(store, [page('index.html', 'b')], [old, late], { now: at('2026-11-28T10:00:00Z') });
    expect((await readPublicationRecord(store))?.get('late')?.toISOString()).toBe('2026-11-27T10:00:00.000Z');

    const posts = withPublicationTimes(
      [old, late].map((p) => ({ ...p }) as never),
      record,
    ) as Array<{
      slug: string;
      publishedAt?: Date;
    }>;
    expect(posts.find((p) => p.slug === 'late')?.publishedAt?.toISOString()).toBe('2026-11-27T10:00:00.000Z');
  });

  it('reads the earlier form of the record (a list of slugs) without treating posts as new', async () => {
    const store = new DirectoryObjectStore(await mkdtemp(join(tmpdir(), 'gazette-publish-')));
    await store.put(PUBLISHED_MANIFEST_KEY, JSON.stringify({ slugs: ['a'] }));
    const report = await publishSite(store, [page('index.html', 'a')], ['a', 'b'], {
      now: at('2026-11-27T10:00:00Z'),
    });
    expect(report.newlyPublished).toEqual(['b']);
    expect(report.record.get('a')).toBeNull();
  });
});
