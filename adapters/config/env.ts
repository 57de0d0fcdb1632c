/**
 * The names of the environment variables Gazette's functions read. The CDK stack imports this
 * same object to set them, so a name cannot differ between the two sides.
 * This module imports nothing: the CDK app loads it without pulling in an SDK.
 */
export const ENV = {
  /** AWS region (set by Lambda itself). */
  region: 'AWS_REGION',
  /** Prefix of every DynamoDB table name, e.g. `gazette-prod-` (tables.ts adds the logical name). */
  tablePrefix: 'GAZETTE_TABLE_PREFIX',
  /** Bucket of the public site: archive pages, feeds, rendered editions. */
  siteBucket: 'GAZETTE_SITE_BUCKET',
  /** Bucket the deploy uploads content/ to (the publish function reads it). */
  contentBucket: 'GAZETTE_CONTENT_BUCKET',
  /** Public base URL of the web app, ending with `/`: links in mails and pages point there. */
  publicUrl: 'GAZETTE_PUBLIC_URL',
  /** SES configuration set every mail is sent with (it publishes bounces and complaints). */
  sesConfigurationSet: 'GAZETTE_SES_CONFIGURATION_SET',
  /** Secrets Manager secret holding the HMAC signing keys of links. */
  secretArn: 'GAZETTE_SECRET_ARN',
  /** SQS queue the fan-out fills and the send workers drain. */
  queueUrl: 'GAZETTE_QUEUE_URL',
  /**
   * SES's maximum send rate (sends per second, account-wide) to assume when GetSendQuota cannot
   * be asked at a worker's cold start; the share is still taken of it.
   */
  sendRate: 'GAZETTE_SEND_RATE',
  /** Share (0 < share ≤ 1) of SES's maximum send rate the send workers may use together. */
  sendRateShare: 'GAZETTE_SEND_RATE_SHARE',
  /** Most send workers running at once (the SQS event source's maximum concurrency). */
  workerMaxConcurrency: 'GAZETTE_WORKER_MAX_CONCURRENCY',
  /**
   * What the send worker needs of publication.yaml, as JSON (`{"title","email":{"from":{"name",
   * "address"},"replyTo"?}}`), validated when the stack is synthesized, so the worker parses no YAML.
   */
  publication: 'GAZETTE_PUBLICATION',
  /**
   * Secrets Manager secret holding the value CloudFront sends in `X-Gazette-Origin-Verify` with
   * every request to the API; with it, the web app takes the reader's address from
   * `CloudFront-Viewer-Address` on requests that carry that value.
   */
  originVerifySecretArn: 'GAZETTE_ORIGIN_VERIFY_SECRET_ARN',
  /** Folder holding the `content/` and `templates/` copies bundled with the function. */
  bundleDir: 'GAZETTE_BUNDLE_DIR',
  /** Emulator endpoints (local mode and tests only); unset on AWS. */
  dynamodbEndpoint: 'GAZETTE_DYNAMODB_ENDPOINT',
  s3Endpoint: 'GAZETTE_S3_ENDPOINT',
  sesEndpoint: 'GAZETTE_SES_ENDPOINT',
} as const;

export type EnvKey = keyof typeof ENV;
export type EnvName = (typeof ENV)[EnvKey];
