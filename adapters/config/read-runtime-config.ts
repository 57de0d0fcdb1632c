import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { ENV, type EnvKey } from './env.js';

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
  | 'workerMaxConcurrency';

const name = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is empty`)
    .regex(/^[A-Za-z0-9._:/-]+$/, `${what} may only hold letters, digits and . _ : / -`);
const endpoint = z
  .string()
  .trim()
  .regex(
    /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/,
    'must be an http URL on the loopback host (emulators only)',
  );

const FIELDS = {
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1'),
  tablePrefix: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,200}$/, 'must be letters, digits, _ . - (a DynamoDB table name prefix)'),
  siteBucket: name('bucket name'),
  contentBucket: name('bucket name'),
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
    .refine((u) => u.endsWith('/'), 'must end with "/"'),
  secretArn: z
    .string()
    .trim()
    .regex(/^arn:aws[a-z-]*:secretsmanager:|^local:/, 'must be a Secrets Manager ARN'),
  sesConfigurationSet: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an SES configuration set name'),
  queueUrl: z.url({ protocol: /^https?$/, error: 'must be an SQS queue URL' }),
  sendRate: z.coerce.number().positive('must be a positive number of sends per second').max(10_000),
  sendRateShare: z.coerce
    .number()
    .positive('must be a share of the SES send rate, above 0')
    .max(1, 'must be a share of the SES send rate, at most 1'),
  workerMaxConcurrency: z.coerce
    .number()
    .int('must be a whole number of workers')
    .min(1, 'must be at least 1 worker')
    .max(1000),
  bundleDir: z.string().trim().min(1),
  dynamodbEndpoint: endpoint,
  s3Endpoint: endpoint,
  sesEndpoint: endpoint,
} satisfies Record<EnvKey, z.ZodType>;

const ALWAYS: readonly EnvKey[] = ['region', 'tablePrefix', 'siteBucket', 'publicUrl', 'secretArn'];

/**
 * Reads and validates the environment once. Every missing or malformed variable is listed, by its
 * variable name, in ONE ConfigError; there are no silent defaults for resource names.
 * `required` adds the settings this function cannot run without.
 */
export function readRuntimeConfig(
  env: Record<string, string | undefined>,
  required: readonly OptionalSetting[] = [],
): RuntimeConfig {
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
  return {
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
    bundleDir: v.bundleDir,
    endpoints: { dynamodb: v.dynamodbEndpoint, s3: v.s3Endpoint, ses: v.sesEndpoint },
  };
}
