import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Client } from '../../../adapters/aws/clients.js';
import { S3ObjectStore } from '../../../adapters/aws/s3-object-store.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();
const md5 = (bytes: Uint8Array | string) => createHash('md5').update(bytes).digest('hex');

/** A store over its own client that notes every command it sends. */
function countingStore(pageSize?: number) {
  const s3 = createS3Client(aws.config);
  const calls: string[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  return { store: new S3ObjectStore(s3, aws.bucket, pageSize ? { pageSize } : {}), calls, s3 };
}

describe('S3ObjectStore', () => {
  it('round-trips text with non-ASCII keys and bodies, with type, cache control, ETag and date', async () => {
    const body = '<h1>Café ☕ — 日本語 — 👩🏽‍💻</h1>\n';
    const before = Date.now();
    await aws.objects.put('posts/café-über/index.html', body, {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
    const got = await aws.objects.get('posts/café-über/index.html');
    expect(got).toBeDefined();
    expect(Buffer.from(got!.body).toString('utf8')).toBe(body);
    expect(got!.contentType).toBe('text/html; charset=utf-8');
    expect(got!.etag).toBe(`"${md5(body)}"`);
    // S3 dates have whole seconds.
    expect(got!.lastModified.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const raw = await aws.s3.send(
      new GetObjectCommand({ Bucket: aws.bucket, Key: 'posts/café-über/index.html' }),
    );
    expect(raw.CacheControl).toBe('public, max-age=300');
  });

  it('round-trips a 1 MB binary byte for byte', async () => {
    const bytes = new Uint8Array(randomBytes(1024 * 1024));
    await aws.objects.put('editions/blob.bin', bytes, { contentType: 'application/octet-stream' });
    const got = await aws.objects.get('editions/blob.bin');
    expect(got!.body.byteLength).toBe(bytes.byteLength);
    expect(Buffer.compare(Buffer.from(got!.body), Buffer.from(bytes))).toBe(0);
    expect(got!.etag).toBe(`"${md5(bytes)}"`);
  });

  it('uses checksums only where required against an emulator (s3rver corrupts streamed uploads)', async () => {
    expect(await aws.s3.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await aws.s3.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    expect(aws.s3.config.forcePathStyle).toBe(true);
  });

  it('changes the ETag when the bytes change, and keeps it when they do not', async () => {
    await aws.objects.put('feed.xml', '<rss>1</rss>', { contentType: 'application/rss+xml' });
    const first = (await aws.objects.get('feed.xml'))!.etag;
    await aws.objects.put('feed.xml', '<rss>1</rss>', { contentType: 'application/rss+xml' });
    expect((await aws.objects.get('feed.xml'))!.etag).toBe(first);
    await aws.objects.put('feed.xml', '<rss>2</rss>', { contentType: 'application/rss+xml' });
    expect((await aws.objects.get('feed.xml'))!.etag).not.toBe(first);
  });

  it('answers undefined for a missing key', async () => {
    expect(await aws.objects.get('nothing/here.html')).toBeUndefined();
  });

  it('keeps an empty object', async () => {
    await aws.objects.put('empty.txt', '', { contentType: 'text/plain' });
    const got = await aws.objects.get('empty.txt');
    expect(got?.body.byteLength).toBe(0);
  });

  it('lists more than 1000 keys across small pages with their ETags, then deletes them in batches of 1000', async () => {
    const { store, calls } = countingStore(400);
    const keys = Array.from({ length: 1001 }, (_, i) => `many/${String(i).padStart(4, '0')}.txt`);
    for (let i = 0; i < keys.length; i += 100) {
      await Promise.all(
        keys.slice(i, i + 100).map((k) => aws.objects.put(k, k, { contentType: 'text/plain' })),
      );
    }
    await aws.objects.put('other/kept.txt', 'x', { contentType: 'text/plain' });

    const listed = await store.list('many/');
    expect(listed.map((o) => o.key)).toEqual(keys);
    expect(listed[7]).toEqual({ key: keys[7], etag: `"${md5(keys[7]!)}"` });
    expect(calls.filter((c) => c === 'ListObjectsCommand')).toHaveLength(3);

    await store.delete([...keys, 'never-existed.txt']);
    expect(calls.filter((c) => c === 'DeleteObjectsCommand')).toHaveLength(2);
    expect((await store.list()).map((o) => o.key)).toEqual(['other/kept.txt']);
    await store.delete([]);
    expect(calls.filter((c) => c === 'DeleteObjectsCommand')).toHaveLength(2);
  });
});
