/**
 * Small pieces every Lambda function of the delivery engine wires the same way.
 */
import { join } from 'node:path';
import type { Clock } from '../../core/ports.js';
import { createS3Client } from '../aws/clients.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { clientsConfig } from '../config/create-aws-ports.js';
import type { RuntimeConfig } from '../config/read-runtime-config.js';
import { bucketContent, bundledContent, type ContentSource } from './content-source.js';

/** The wall clock: the only place functions read the time. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * The folder holding the bundled `content/` and `templates/`: GAZETTE_BUNDLE_DIR, else the
 * handler's own folder (an ESM bundle knows it), else the working directory (Lambda's is the
 * bundle root).
 */
export function bundleDirOf(config: RuntimeConfig, handlerDir: string | undefined): string {
  return config.bundleDir ?? handlerDir ?? process.cwd();
}

/** The content bucket, when the function has one; else the content/ folder of its bundle. */
export function contentBucketOf(config: RuntimeConfig): S3ObjectStore | undefined {
  return config.contentBucket
    ? new S3ObjectStore(createS3Client(clientsConfig(config)), config.contentBucket)
    : undefined;
}

/** Where the function reads content from (see {@link contentBucketOf}). */
export function contentSourceFor(config: RuntimeConfig, bundleDir: string): ContentSource {
  const bucket = contentBucketOf(config);
  return bucket ? bucketContent(bucket) : bundledContent(join(bundleDir, 'content'));
}
