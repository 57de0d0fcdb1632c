import * as z from 'zod/mini';
import { ConfigError } from '../../core/errors.js';
import { ENV, type EnvKey } from './env.js';
import { parseWorkerPublication, type WorkerPublication } from './worker-publication.js';

/** What a function reads from its environment, validated. */
export interface RuntimeConfig {
  region: string;
  tablePrefix: string;
  siteBucket: string;
  /** Ends with `/`. */
  publicUrl: string;
  secretArn: string;
  contentBucket?: string | undefined;
  sesConfigurationSet?: string | undefined;
  queueUrl?: string | undefined;
  sendRate?: number | undefined;
  sendRateShare?: number | undefined;
  workerMaxConcurrency?: number | undefined;
  /** The send worker's publication fields (GAZETTE_PUBLICATION). */
  publication?: WorkerPublication | undefined;
  /** The secret CloudFront's origin-verify header value is kept in (GAZETTE_ORIGIN_VERIFY_SECRET_ARN). */
  originVerifySecretArn?: string | undefined;
  bundleDir?: string | undefined;
  endpoints: { dynamodb?: string | undefined; s3?: string | undefined; ses?: string | undefined };
}

/** Settings only some functions need; a function names the ones it requires. */
export type OptionalSetting =
  | 'contentBucket'
  | 'sesConfigurationSet'
  | 'queueUrl'
  | 'sendRate'
  | 'sendRateShare'
  | 'workerMaxConcurrency'
  | 'publication'
  | 'originVerifySecretArn';

/** The settings a function named as required: present in what it gets back. */
export type RequiredSettings<K extends OptionalSetting> = { [P in K]-?: NonNullable<RuntimeConfig[P]> };

const trimmed = (message: string) => z.string().check(z.trim(), z.minLength(1, message));
const name = (what: string) =>
  trimmed(`${what} is empty`).check(
    z.regex(/^[A-Za-z0-9._:/-]+$/, `${what} may only hold letters, digits and . _ : / -`),
  );
const endpoint = trimmed('is empty').check(
  z.regex(
    /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/,
    'must be an http URL on the loopback host (emulators only)',
  ),
);
const secretArn = trimmed('is empty').check(
  z.regex(/^arn:aws[a-z-]*:secretsmanager:|^local:/, 'must be a Secrets Manager ARN'),
);
/** Numbers arrive as text; empty text never gets here (readRuntimeConfig takes it as unset). */
const count = (message: string) => z.coerce.number({ error: message });

/**
 * One schema per variable, from zod/mini: the send worker's bundle reads its environment with
 * these, and zod's classic API would bring every translated error message (about 260 KiB) along.
 * Every check carries its own message, so none falls back to a generic one.
 */
const FIELDS = {
  region: trimmed('is empty').check(
    z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1'),
  ),
  tablePrefix: trimmed('is empty').check(
    z.regex(/^[A-Za-z0-9_.-]{1,200}$/, 'must be letters, digits, _ . - (a DynamoDB table name prefix)'),
  ),
  siteBucket: name('bucket name'),
  contentBucket: name('bucket name'),
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
    .check(z.refine((u) => u.endsWith('/'), 'must end with "/"')),
  secretArn,
  sesConfigurationSet: trimmed('is empty').check(
    z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an SES configuration set name'),
  ),
  queueUrl: z.url({ protocol: /^https?$/, error: 'must be an SQS queue URL' }),
  sendRate: count('must be a positive number of sends per second').check(
    z.positive('must be a positive number of sends per second'),
    z.maximum(10_000, 'must be at most 10000 sends per second'),
  ),
  sendRateShare: count('must be a share of the SES send rate, a number').check(
    z.positive('must be a share of the SES send rate, above 0'),
    z.maximum(1, 'must be a share of the SES send rate, at most 1'),
  ),
  workerMaxConcurrency: count('must be a whole number of workers').check(
    z.refine((n) => Number.isInteger(n), 'must be a whole number of workers'),
    z.minimum(1, 'must be at least 1 worker'),
    z.maximum(1000, 'must be at most 1000 workers'),
  ),
  publication: z.pipe(
    z.string(),
    z.transform((json: string, payload): WorkerPublication | undefined => {
      const parsed = parseWorkerPublication(json);
      if (parsed.ok) return parsed.value;
      for (const message of parsed.problems) payload.issues.push({ code: 'custom', message, input: json });
      return undefined;
    }),
  ),
  originVerifySecretArn: secretArn,
  bundleDir: trimmed('is empty'),
  dynamodbEndpoint: endpoint,
  s3Endpoint: endpoint,
  sesEndpoint: endpoint,
} satisfies Record<EnvKey, z.ZodMiniType>;

const ALWAYS: readonly EnvKey[] = ['region', 'tablePrefix', 'siteBucket', 'publicUrl', 'secretArn'];

/**
 * Reads and validates the environment once. Every missing or malformed variable is listed, by its
 * variable name, in ONE ConfigError; there are no silent defaults for resource names.
 * `required` adds the settings this function cannot run without.
 */
export function readRuntimeConfig<K extends OptionalSetting = never>(
  env: Record<string, string | undefined>,
  required: readonly K[] = [],
): RuntimeConfig & RequiredSettings<K> {
  const problems: string[] = [];
  const values: Partial<Record<EnvKey, unknown>> = {};
  const mustHave = new Set<EnvKey>([...ALWAYS, ...required]);
  for (const key of Object.keys(FIELDS) as EnvKey[]) {
    const variable = ENV[key];
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') {
      if (mustHave.has(key)) problems.push(`${variable} is not set`);
      continue;
    }
    const parsed = FIELDS[key].safeParse(raw);
    if (parsed.success) values[key] = parsed.data;
    else
      problems.push(
        `${variable}: ${parsed.error.issues.map((i) => i.message).join('; ')} (got ${JSON.stringify(raw.slice(0, 80))})`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const v = values as Record<EnvKey, never>;
  const config: RuntimeConfig = {
    region: v.region,
    tablePrefix: v.tablePrefix,
    siteBucket: v.siteBucket,
    publicUrl: v.publicUrl,
    secretArn: v.secretArn,
    contentBucket: v.contentBucket,
    sesConfigurationSet: v.sesConfigurationSet,
    queueUrl: v.queueUrl,
    sendRate: v.sendRate,
    sendRateShare: v.sendRateShare,
    workerMaxConcurrency: v.workerMaxConcurrency,
    publication: v.publication,
    originVerifySecretArn: v.originVerifySecretArn,
    bundleDir: v.bundleDir,
    endpoints: { dynamodb: v.dynamodbEndpoint, s3: v.s3Endpoint, ses: v.sesEndpoint },
  };
  // Every required setting was present, or the ConfigError above was thrown.
  return config as RuntimeConfig & RequiredSettings<K>;
}
