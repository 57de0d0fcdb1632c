import {
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectStore, StoredObject } from '../../core/ports.js';

/** S3 accepts at most this many keys per DeleteObjects call. */
const DELETE_BATCH = 1000;

/** A bucket's objects could not all be deleted. */
export class ObjectDeleteError extends Error {
  override readonly name = 'ObjectDeleteError';
  constructor(
    readonly bucket: string,
    readonly failures: ReadonlyArray<{ key: string; code: string; message: string }>,
  ) {
    super(
      `could not delete ${failures.length} object(s) from bucket ${bucket}: ${failures
        .slice(0, 5)
        .map((f) => `${f.key} (${f.code}: ${f.message})`)
        .join(', ')}${failures.length > 5 ? ', …' : ''}`,
    );
  }
}

/** One S3 bucket (the site bucket) behind the ObjectStore port. */
export class S3ObjectStore implements ObjectStore {
  private readonly pageSize: number;

  /** @param options.pageSize keys per List call (S3's maximum, 1000, by default). */
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    options: { pageSize?: number } = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    let res: GetObjectCommandOutput;
    try {
      res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
    const body = res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
    return {
      body,
      contentType: res.ContentType ?? 'application/octet-stream',
      etag: quoted(res.ETag ?? ''),
      lastModified: res.LastModified ?? new Date(0),
    };
  }

  async put(
    key: string,
    body: Uint8Array | string,
    options: { contentType: string; cacheControl?: string },
  ): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: options.contentType,
        CacheControl: options.cacheControl,
      }),
    );
  }

  /**
   * ListObjects (v1) with markers rather than ListObjectsV2: s3rver builds V2 continuation tokens
   * with DES, which OpenSSL 3 (Node ≥ 17) refuses, so any truncated V2 listing fails there. S3
   * itself serves both; without a delimiter the next marker is the last key of the page.
   */
  async list(prefix?: string): Promise<Array<{ key: string; etag: string }>> {
    const out: Array<{ key: string; etag: string }> = [];
    let marker: string | undefined;
    for (;;) {
      const res = await this.s3.send(
        new ListObjectsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: this.pageSize,
          Marker: marker,
        }),
      );
      const contents = res.Contents ?? [];
      for (const object of contents) {
        if (object.Key !== undefined) out.push({ key: object.Key, etag: quoted(object.ETag ?? '') });
      }
      const last = contents.at(-1)?.Key;
      if (!res.IsTruncated || last === undefined) return out;
      marker = res.NextMarker ?? last;
    }
  }

  async delete(keys: string[]): Promise<void> {
    const failures: Array<{ key: string; code: string; message: string }> = [];
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const res = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      for (const e of res.Errors ?? []) {
        failures.push({ key: e.Key ?? '?', code: e.Code ?? 'Error', message: e.Message ?? '' });
      }
    }
    if (failures.length > 0) throw new ObjectDeleteError(this.bucket, failures);
  }
}

/** S3 sends ETags quoted; some emulators and proxies do not. HTTP wants them quoted. */
function quoted(etag: string): string {
  return etag.startsWith('"') || etag.startsWith('W/"') ? etag : `"${etag}"`;
}
