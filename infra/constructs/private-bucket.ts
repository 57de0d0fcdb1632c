import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface PrivateBucketOptions {
  bucketName: string;
  /** Where S3 server access logs go, under `logPrefix`. */
  logs: s3.IBucket;
  logPrefix: string;
  /** Keep every version of every object (content: an editor's mistake can be undone). */
  versioned?: boolean;
  /**
   * Add the TLS-only deny to a policy of this stack. Off only for a bucket whose policy is
   * owned elsewhere (a bucket has at most one policy; a second one would replace the first).
   */
  enforceSsl?: boolean;
  /** Publish object events to EventBridge. */
  eventBridge?: boolean;
}

/**
 * A bucket nobody reaches from the internet: all public access blocked, SSE-S3 encryption,
 * TLS-only, ACLs disabled, access logs kept, and RETAIN so a stack update never deletes data.
 * SSE-S3 rather than KMS because CloudFront (origin access control) and S3 access logging both
 * read and write it without key policy plumbing, and the objects are public pages or mail bodies.
 */
export function privateBucket(scope: Construct, id: string, options: PrivateBucketOptions): s3.Bucket {
  const versioned = options.versioned ?? false;
  return new s3.Bucket(scope, id, {
    bucketName: options.bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: options.enforceSsl ?? true,
    minimumTLSVersion: options.enforceSsl === false ? undefined : 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned,
    eventBridgeEnabled: options.eventBridge ?? false,
    serverAccessLogsBucket: options.logs,
    serverAccessLogsPrefix: options.logPrefix,
    lifecycleRules: versioned
      ? [
          // Old versions are for undoing mistakes, not an archive: the archive is git.
          {
            noncurrentVersionExpiration: Duration.days(90),
            abortIncompleteMultipartUploadAfter: Duration.days(7),
          },
        ]
      : [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * The bucket that receives S3 server access logs and CloudFront standard logs. CloudFront's
 * standard logging writes with an ACL, hence object ownership "bucket owner preferred" rather
 * than "enforced". Logs expire after 400 days (a year plus a margin for yearly reviews).
 */
export function logsBucket(scope: Construct, id: string, bucketName: string): s3.Bucket {
  return new s3.Bucket(scope, id, {
    bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [
      { expiration: Duration.days(400), abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
