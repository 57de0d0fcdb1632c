import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, DirectoryObjectStore } from '../../../../adapters/fs/directory-object-store.js';
import { etagOf } from '../../../../core/publish/plan-site-changes.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gazette-store-'));
}

describe('DirectoryObjectStore', () => {
  it('writes, reads back and lists objects with the entity tag S3 would give them', async () => {
    const root = await scratch();
    const store = new DirectoryObjectStore(root);
    await store.put('posts/a/index.html', '<p>a</p>');
    await store.put('posts/b/index.html', new TextEncoder().encode('<p>b</p>'));
    await store.put('index.html', 'home');
    expect(readFileSync(join(root, 'posts/a/index.html'), 'utf8')).toBe('<p>a</p>');
    expect(await store.list()).toEqual([
      { key: 'index.html', etag: etagOf('home') },
      { key: 'posts/a/index.html', etag: etagOf('<p>a</p>') },
      { key: 'posts/b/index.html', etag: etagOf('<p>b</p>') },
    ]);
    expect((await store.list('posts/b/')).map((o) => o.key)).toEqual(['posts/b/index.html']);
    const got = await store.get('posts/a/index.html');
    expect(new TextDecoder().decode(got?.body)).toBe('<p>a</p>');
    expect(got?.etag).toBe(etagOf('<p>a</p>'));
    expect(got?.contentType).toBe('text/html; charset=utf-8');
    expect(await store.get('posts/missing/index.html')).toBeUndefined();
    expect(await store.get('posts')).toBeUndefined();
  });

  it('leaves no temporary file behind and replaces a file whole', async () => {
    const root = await scratch();
    const store = new DirectoryObjectStore(root);
    await store.put('feed.xml', 'one');
    await store.put('feed.xml', 'two');
    expect(readdirSync(root)).toEqual(['feed.xml']);
    expect(readFileSync(join(root, 'feed.xml'), 'utf8')).toBe('two');
  });

  it('removes emptied folders on delete, and writes into them again afterwards', async () => {
    const root = await scratch();
    const store = new DirectoryObjectStore(root);
    await store.put('tags/x/index.html', 'x');
    await store.delete(['tags/x/index.html', 'tags/x/never-there.html']);
    expect(existsSync(join(root, 'tags'))).toBe(false);
    await store.put('tags/x/index.html', 'again');
    expect(readFileSync(join(root, 'tags/x/index.html'), 'utf8')).toBe('again');
  });

  it('writes into a folder another process removed in the meantime', async () => {
    const root = await scratch();
    const store = new DirectoryObjectStore(root);
    await store.put('posts/a/index.html', 'a');
    rmSync(join(root, 'posts'), { recursive: true });
    await store.put('posts/a/index.html', 'a2');
    expect(readFileSync(join(root, 'posts/a/index.html'), 'utf8')).toBe('a2');
  });

  it('lists nothing for a folder that does not exist yet, and refuses keys that escape it', async () => {
    const store = new DirectoryObjectStore(join(await scratch(), 'not-yet'));
    expect(await store.list()).toEqual([]);
    await expect(store.put('../evil.html', 'x')).rejects.toThrow(/escapes the output folder/);
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/escapes the output folder/);
  });

  it('names feed types by file', () => {
    expect(contentTypeOf('feed.xml')).toBe('application/rss+xml; charset=utf-8');
    expect(contentTypeOf('tags/x/feed.xml')).toBe('application/rss+xml; charset=utf-8');
    expect(contentTypeOf('atom.xml')).toBe('application/atom+xml; charset=utf-8');
    expect(contentTypeOf('feed.json')).toBe('application/feed+json; charset=utf-8');
    expect(contentTypeOf('assets/style.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('blob.bin')).toBe('application/octet-stream');
  });
});
