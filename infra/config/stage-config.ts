/**
 * The configuration of one deployment stage, read from CDK context and validated with zod.
 * Every missing or wrong value is reported in one ConfigError, so a deploy never fails on the
 * first of five typos.
 *
 * Context shape (cdk.json, cdk.context.json or `-c` flags):
 * - `gazette:stage` selects the stage (`dev` by default in cdk.json);
 * - `gazette:stages` maps stage names to objects holding the fields below;
 * - a flat `gazette:<field>` value (e.g. `-c gazette:alarmEmail=ops@example.com`) overrides the
 *   stage's field, so one value can be changed for one deploy without editing a file.
 */
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

/** Fields of a stage, in the order they are documented and reported. */
export const STAGE_FIELDS = [
  'siteDomain',
  'publicUrl',
  'certificateArn',
  'hostedZoneId',
  'hostedZoneName',
  'sesIdentity',
  'sendRateShare',
  'sendRateFallback',
  'workerMaxConcurrency',
  'alarmEmail',
  'sandboxRecipients',
  'account',
  'region',
] as const;

export type StageField = (typeof STAGE_FIELDS)[number];

export const STAGE_CONTEXT_KEY = 'gazette:stage';
export const STAGES_CONTEXT_KEY = 'gazette:stages';

/** `gazette-<stage>-content-<account>-<region>` must fit S3's 63 characters. */
export const MAX_STAGE_LENGTH = 16;

/** SES's maximum send rate in the sandbox: 1 mail a second. */
export const SES_SANDBOX_SEND_RATE = 1;
/** The maximum send rate SES usually grants first with production access. */
export const DEFAULT_SEND_RATE_FALLBACK = 14;
/** The highest fallback accepted (the send workers' configuration takes no more). */
export const MAX_SEND_RATE_FALLBACK = 10_000;

/** Lambda's limits on an SQS event source's maximum concurrency: 2 to 1,000. */
export const MIN_WORKER_CONCURRENCY = 2;
export const MAX_WORKER_CONCURRENCY = 1000;

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const EMAIL = /^[^\s@<>()",;:\\]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

/** What the SES identity is: a whole domain (Easy DKIM) or one verified address. */
export type SesIdentity = { kind: 'domain'; domain: string } | { kind: 'address'; address: string };

export interface StageConfig {
  /** Lower-case name used in stack, table and bucket names: `dev`, `prod`. */
  stage: string;
  /** Custom domain of the site and API (CloudFront alias), e.g. `dispatch.example.com`. */
  siteDomain?: string | undefined;
  /**
   * Base URL of the web app for links in mail, ending with `/`: `https://<siteDomain>/`, else
   * this field, else publication.yaml's `url` (see {@link publicUrlOf}).
   */
  publicUrl?: string | undefined;
  /** ACM certificate in us-east-1 covering {@link siteDomain}; required with it. */
  certificateArn?: string | undefined;
  /** A Route 53 public hosted zone in which the alias and DKIM records are created. */
  hostedZone?: { id: string; name: string } | undefined;
  sesIdentity: SesIdentity;
  /** The share of SES's maximum send rate this stage may use, 0 < share ≤ 1. */
  sendRateShare: number;
  /**
   * SES's maximum send rate (per second) the send workers assume when GetSendQuota fails at a cold
   * start: the context value, else {@link SES_SANDBOX_SEND_RATE} for a stage that lists
   * `sandboxRecipients` (it is in the sandbox), else {@link DEFAULT_SEND_RATE_FALLBACK}.
   */
  sendRateFallback: number;
  /** Maximum concurrent send worker invocations (SQS event source maximum concurrency). */
  workerMaxConcurrency: number;
  /** Where CloudWatch alarms are mailed. */
  alarmEmail: string;
  /**
   * Verified recipient addresses while the account is in the SES sandbox: SES checks the
   * sender's permission on each recipient identity too, so the send grant names them.
   */
  sandboxRecipients: string[];
  /** AWS account and region; when absent the CLI's defaults are used (or none, offline). */
  account?: string | undefined;
  region?: string | undefined;
}

function text(field: string) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be text`),
    })
    .trim()
    .min(1, `${field} is required`);
}

function optionalText(field: string) {
  return z
    .string({ error: `${field} must be text` })
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v));
}

/** Numbers arrive as text from `-c key=value` flags and as numbers from JSON. */
function numeric(field: string) {
  return z
    .union([z.number(), z.string().trim()], {
      error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a number`),
    })
    .transform(toNumber(field));
}

/** A number that may be left out (or given as empty text). */
function optionalNumeric(field: string) {
  return z
    .union([z.number(), z.string().trim()], { error: `${field} must be a number` })
    .optional()
    .transform((value, ctx) =>
      value === undefined || value === '' ? undefined : toNumber(field)(value, ctx),
    );
}

function toNumber(field: string) {
  return (value: number | string, ctx: z.RefinementCtx): number => {
    const n = typeof value === 'number' ? value : value === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `${field} must be a number, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return n;
  };
}

const stageSchema = z
  .object({
    stage: text('gazette:stage')
      .regex(
        /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
        'gazette:stage must be lower-case letters, digits and single dashes, starting with a letter (it names stacks, tables and buckets)',
      )
      .max(
        MAX_STAGE_LENGTH,
        `gazette:stage must be at most ${MAX_STAGE_LENGTH} characters (bucket names are limited to 63)`,
      ),
    siteDomain: optionalText('siteDomain').refine(
      (v) => v === undefined || HOSTNAME.test(v),
      'siteDomain must be a lower-case host name such as dispatch.example.com (no scheme, no path)',
    ),
    publicUrl: optionalText('publicUrl').refine((v) => v === undefined || isBaseUrl(v), {
      message:
        'publicUrl must be an https URL ending with / and without query, such as https://d1234.cloudfront.net/',
    }),
    certificateArn: optionalText('certificateArn').refine((v) => v === undefined || CERTIFICATE_ARN.test(v), {
      message:
        'certificateArn must be an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)',
    }),
    hostedZoneId: optionalText('hostedZoneId').refine(
      (v) => v === undefined || /^Z[A-Z0-9]{1,31}$/.test(v),
      'hostedZoneId must be a Route 53 zone id such as Z0123456789ABCDEFGHIJ',
    ),
    hostedZoneName: optionalText('hostedZoneName').refine(
      (v) => v === undefined || HOSTNAME.test(v),
      'hostedZoneName must be a lower-case domain such as example.com',
    ),
    sesIdentity: text('sesIdentity').refine(
      (v) => HOSTNAME.test(v) || EMAIL.test(v),
      'sesIdentity must be a domain (example.com) or an e-mail address (news@example.com)',
    ),
    sendRateShare: numeric('sendRateShare').refine(
      (n) => n > 0 && n <= 1,
      'sendRateShare must be greater than 0 and at most 1 (the share of the SES maximum send rate)',
    ),
    sendRateFallback: optionalNumeric('sendRateFallback').refine(
      (n) => n === undefined || (n > 0 && n <= MAX_SEND_RATE_FALLBACK),
      `sendRateFallback must be greater than 0 and at most ${MAX_SEND_RATE_FALLBACK} (mails a second)`,
    ),
    workerMaxConcurrency: numeric('workerMaxConcurrency').refine(
      (n) => Number.isInteger(n) && n >= MIN_WORKER_CONCURRENCY && n <= MAX_WORKER_CONCURRENCY,
      `workerMaxConcurrency must be a whole number from ${MIN_WORKER_CONCURRENCY} to ${MAX_WORKER_CONCURRENCY} (the SQS event source limits)`,
    ),
    alarmEmail: text('alarmEmail').refine((v) => EMAIL.test(v), 'alarmEmail must be an e-mail address'),
    sandboxRecipients: z
      .union([z.string(), z.array(z.string())], {
        error: 'sandboxRecipients must be a list of e-mail addresses (or one comma-separated text)',
      })
      .optional()
      .transform((value, ctx) => {
        const list = (typeof value === 'string' ? value.split(',') : (value ?? []))
          .map((a) => a.trim())
          .filter((a) => a !== '');
        for (const address of list) {
          if (!EMAIL.test(address)) {
            ctx.addIssue({
              code: 'custom',
              message: `sandboxRecipients: ${JSON.stringify(address)} is not an e-mail address`,
            });
          }
        }
        return list;
      }),
    account: optionalText('account').refine(
      (v) => v === undefined || /^\d{12}$/.test(v),
      'account must be a 12-digit AWS account id',
    ),
    region: optionalText('region').refine(
      (v) => v === undefined || /^[a-z]{2}(-[a-z]+)+-\d$/.test(v),
      'region must be an AWS region such as us-east-1',
    ),
  })
  .superRefine((c, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (c.siteDomain && !c.certificateArn) {
      problem('certificateArn is required with siteDomain (CloudFront serves a custom domain only with one)');
    }
    if (c.certificateArn && !c.siteDomain) {
      problem('certificateArn is given but siteDomain is not: name the domain the certificate covers');
    }
    const certRegion = c.certificateArn ? CERTIFICATE_ARN.exec(c.certificateArn)?.[1] : undefined;
    if (certRegion !== undefined && certRegion !== 'us-east-1') {
      problem(
        `certificateArn must be in us-east-1 (CloudFront reads certificates only there), not ${certRegion}`,
      );
    }
    if (c.publicUrl && c.siteDomain && new URL(c.publicUrl).host !== c.siteDomain) {
      problem(
        `publicUrl ${c.publicUrl} is not on siteDomain ${c.siteDomain}: leave publicUrl out, it follows siteDomain`,
      );
    }
    if ((c.hostedZoneId === undefined) !== (c.hostedZoneName === undefined)) {
      problem('hostedZoneId and hostedZoneName go together: give both or neither');
    }
    if (c.hostedZoneName && c.siteDomain && !isWithin(c.siteDomain, c.hostedZoneName)) {
      problem(`siteDomain ${c.siteDomain} is not inside the hosted zone ${c.hostedZoneName}`);
    }
  });

function isBaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' &&
      url.pathname.endsWith('/') &&
      !url.search &&
      !url.hash &&
      value === url.href
    );
  } catch {
    return false;
  }
}

/** Where links in mail point: the custom domain, else the stage's publicUrl, else publication.yaml's url. */
export function publicUrlOf(config: StageConfig, publicationUrl: string): string {
  if (config.siteDomain) return `https://${config.siteDomain}/`;
  return config.publicUrl ?? publicationUrl;
}

/** `a.example.com` is within `example.com` and within itself. */
export function isWithin(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/**
 * Why SES would refuse to send from `address` with this identity, if it would: a domain
 * identity covers its addresses and those of its subdomains, an address identity only itself.
 */
export function senderProblem(identity: string, address: string): string | undefined {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1).toLowerCase();
  if (EMAIL.test(identity)) {
    return identity.toLowerCase() === address.toLowerCase()
      ? undefined
      : `sesIdentity ${identity} does not cover publication.yaml's email.from.address ${address}: use that address or its domain`;
  }
  return isWithin(domain, identity.toLowerCase())
    ? undefined
    : `sesIdentity ${identity} does not cover publication.yaml's email.from.address ${address}: use the domain ${domain} or the address itself`;
}

/** How the CDK app reads context; `app.node.tryGetContext` fits. */
export type ContextReader = (key: string) => unknown;

/**
 * The stage selected by `gazette:stage`, its fields from `gazette:stages.<stage>`, overridden
 * by flat `gazette:<field>` values. With `fromAddress` (publication.yaml's `email.from.address`)
 * it also checks that SES will let the stage send from that address.
 * @throws ConfigError listing every missing or wrong value at once.
 */
export function readStageConfig(
  context: ContextReader,
  options: { fromAddress?: string | undefined } = {},
): StageConfig {
  const stage = context(STAGE_CONTEXT_KEY);
  const stages = context(STAGES_CONTEXT_KEY);
  const problems: string[] = [];
  let base: Record<string, unknown> = {};
  if (stages !== undefined && (typeof stages !== 'object' || stages === null || Array.isArray(stages))) {
    problems.push(`${STAGES_CONTEXT_KEY} must be an object of stages ({ "dev": { … } })`);
  } else if (stages !== undefined && typeof stage === 'string') {
    const chosen = (stages as Record<string, unknown>)[stage];
    if (chosen !== undefined && (typeof chosen !== 'object' || chosen === null || Array.isArray(chosen))) {
      problems.push(`${STAGES_CONTEXT_KEY}.${stage} must be an object of fields`);
    } else if (chosen !== undefined) {
      base = chosen as Record<string, unknown>;
      for (const key of Object.keys(base)) {
        if (!(STAGE_FIELDS as readonly string[]).includes(key)) {
          problems.push(
            `${STAGES_CONTEXT_KEY}.${stage}.${key} is not a stage field (${STAGE_FIELDS.join(', ')})`,
          );
        }
      }
    }
  }
  const merged: Record<string, unknown> = { stage };
  for (const field of STAGE_FIELDS) {
    const override = context(`gazette:${field}`);
    merged[field] = override !== undefined ? override : base[field];
  }
  const parsed = stageSchema.safeParse(merged);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => i.message));
  if (parsed.success && options.fromAddress !== undefined) {
    const problem = senderProblem(parsed.data.sesIdentity, options.fromAddress);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0 || !parsed.success) {
    const where = typeof stage === 'string' ? `stage '${stage}': ` : '';
    throw new ConfigError(problems.map((p) => `${where}${p}`));
  }
  const c = parsed.data;
  return {
    stage: c.stage,
    siteDomain: c.siteDomain,
    publicUrl: c.publicUrl,
    certificateArn: c.certificateArn,
    hostedZone:
      c.hostedZoneId && c.hostedZoneName ? { id: c.hostedZoneId, name: c.hostedZoneName } : undefined,
    sesIdentity: EMAIL.test(c.sesIdentity)
      ? { kind: 'address', address: c.sesIdentity }
      : { kind: 'domain', domain: c.sesIdentity.toLowerCase() },
    sendRateShare: c.sendRateShare,
    sendRateFallback:
      c.sendRateFallback ??
      (c.sandboxRecipients.length > 0 ? SES_SANDBOX_SEND_RATE : DEFAULT_SEND_RATE_FALLBACK),
    workerMaxConcurrency: c.workerMaxConcurrency,
    alarmEmail: c.alarmEmail,
    sandboxRecipients: c.sandboxRecipients,
    account: c.account,
    region: c.region,
  };
}
