import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES, type TableName } from '../../adapters/aws/tables.js';
import { ENV } from '../../adapters/config/env.js';
import { type OptionalSetting, readRuntimeConfig } from '../../adapters/config/read-runtime-config.js';
import { workerPublicationOf } from '../../adapters/config/worker-publication.js';
import { FUNCTION_ACCESS } from '../../infra/bundling/function-access.js';
import { FUNCTION_NAMES, FUNCTION_SPECS, type FunctionName } from '../../infra/bundling/function-specs.js';
import { readPublication } from '../../infra/config/read-publication.js';
import { DEFAULT_SEND_RATE_FALLBACK, SES_SANDBOX_SEND_RATE } from '../../infra/config/stage-config.js';
import { PUBLIC_PATHS } from '../../infra/constructs/http-api.js';
import { EDITIONS_PATH } from '../../infra/constructs/site-distribution.js';
import { ORIGIN_VERIFY_HEADER } from '../../web/client-address.js';
import {
  CONTENT_SECURITY_POLICY,
  PERMISSIONS_POLICY,
  WEB_COPY_CONTENT_SECURITY_POLICY,
} from '../../web/security-headers.js';
import { ROOT, resourcesOf, type Synthesized, synthGazette } from './synth-gazette.js';

type Resource = { Properties?: Record<string, unknown>; [key: string]: unknown };
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statementsOf(resource: Resource | undefined): Statement[] {
  const document = resource?.Properties?.PolicyDocument as { Statement?: Statement[] } | undefined;
  return document?.Statement ?? [];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown) => JSON.stringify(v);

/** What each handler passes to readRuntimeConfig as required (read from functions/*.ts). */
const REQUIRED: Record<FunctionName, OptionalSetting[]> = {
  http: ['sesConfigurationSet', 'queueUrl'],
  sesEvents: [],
  publish: ['queueUrl'],
  edition: ['queueUrl'],
  sendWorker: ['queueUrl', 'sesConfigurationSet', 'workerMaxConcurrency', 'publication'],
};

/** Stand-ins for values only known at deploy time (CloudFormation references). */
const DEPLOY_TIME: Record<string, string> = {
  [ENV.siteBucket]: 'gazette-dev-site-123456789012-us-east-1',
  [ENV.contentBucket]: 'gazette-dev-content-123456789012-us-east-1',
  [ENV.secretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hmac-AbCdEf',
  [ENV.queueUrl]: 'https://sqs.us-east-1.amazonaws.com/123456789012/send',
  [ENV.originVerifySecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:verify-AbCdEf',
};

describe('stateless stack (dev stage from cdk.json)', () => {
  let s: Synthesized;
  let template: Synthesized['statelessTemplate'];
  const fnIds = {} as Record<FunctionName, string>;
  const fnResource = (name: FunctionName) => {
    const r = template.toJSON().Resources[fnIds[name]] as Resource;
    return { ...r, Properties: r.Properties ?? {} };
  };
  const varsOf = (name: FunctionName) =>
    (fnResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const policyOf = (name: FunctionName): Statement[] => {
    const roleId = (fnResource(name).Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    return resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, p]) => text(p.Properties?.Roles).includes(roleId))
      .flatMap(([, p]) => statementsOf(p));
  };

  beforeAll(() => {
    s = synthGazette();
    template = s.statelessTemplate;
    for (const name of FUNCTION_NAMES) {
      fnIds[name] = s.stateless.getLogicalId(s.stateless.functions[name].fn.node.defaultChild as never);
    }
  });
  afterAll(() => s?.dispose());

  describe('functions', () => {
    it.each(FUNCTION_NAMES)('%s: Node 24 on arm64, JSON logs, its memory and timeout', (name) => {
      const p = fnResource(name).Properties;
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Handler).toBe('index.handler');
      expect(p.MemorySize).toBe(FUNCTION_SPECS[name].memoryMb);
      expect(p.Timeout).toBe(FUNCTION_SPECS[name].timeoutSeconds);
      expect(p.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' });
    });

    it.each(FUNCTION_NAMES)('%s: named by stage, logs to /aws/lambda/<name>, kept 90 days', (name) => {
      const fnName = fnResource(name).Properties.FunctionName as string;
      expect(fnName).toMatch(/^gazette-dev-[a-z-]+$/);
      const logGroupId = text((fnResource(name).Properties.LoggingConfig as { LogGroup: unknown }).LogGroup);
      const [, group] =
        resourcesOf(template, 'AWS::Logs::LogGroup').find(([id]) => logGroupId.includes(id)) ?? [];
      expect(group?.Properties?.RetentionInDays).toBe(90);
      expect(group?.Properties?.LogGroupName).toBe(`/aws/lambda/${fnName}`);
    });

    it.each(FUNCTION_NAMES)('%s: environment names come from adapters/config/env.ts', (name) => {
      const vars = varsOf(name);
      const known = new Set<string>([
        ...Object.values(ENV),
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
      ]);
      expect(Object.keys(vars).filter((k) => !known.has(k))).toEqual([]);
      expect(vars.POWERTOOLS_SERVICE_NAME).toMatch(/^gazette-/);
    });

    it.each(FUNCTION_NAMES)('%s: its environment passes the runtime config check of its handler', (name) => {
      const vars = varsOf(name);
      const env: Record<string, string> = { AWS_REGION: 'us-east-1' };
      for (const [key, value] of Object.entries(vars)) {
        env[key] =
          typeof value === 'string' ? value : (DEPLOY_TIME[key] ?? `unexpected reference for ${key}`);
      }
      const config = readRuntimeConfig(env, REQUIRED[name]);
      expect(config.tablePrefix).toBe('gazette-dev-');
      expect(config.publicUrl).toBe('https://dispatch.example.com/');
    });

    it('tells the send workers their share of the SES rate, the rate to assume without SES, and how many run', () => {
      const vars = varsOf('sendWorker');
      expect(vars[ENV.sendRateShare]).toBe(String(s.config.sendRateShare));
      expect(vars[ENV.workerMaxConcurrency]).toBe(String(s.config.workerMaxConcurrency));
      // The dev stage lists no sandbox recipients: the usual first production rate.
      expect(vars[ENV.sendRate]).toBe(String(DEFAULT_SEND_RATE_FALLBACK));
    });

    it("hands the send worker publication.yaml's sender and title, validated, and no content bucket", () => {
      const vars = varsOf('sendWorker');
      const publication = readPublication(`${ROOT}/content`);
      expect(JSON.parse(vars[ENV.publication] as string)).toEqual(workerPublicationOf(publication));
      const config = readRuntimeConfig(
        { ...(vars as Record<string, string>), ...DEPLOY_TIME, AWS_REGION: 'us-east-1' },
        REQUIRED.sendWorker,
      );
      expect(config.publication.email.from.address).toBe(publication.email.from.address);
      expect(vars[ENV.contentBucket]).toBeUndefined();
      expect(FUNCTION_ACCESS.sendWorker.content).toBeUndefined();
      for (const name of ['http', 'sesEvents', 'publish', 'edition'] as const)
        expect(varsOf(name)[ENV.publication], name).toBeUndefined();
    });
  });

  describe('least privilege', () => {
    it.each(FUNCTION_NAMES)(
      '%s: no wildcard resource but GetSendQuota, no wildcard action but S3 grant groups',
      (name) => {
        for (const st of policyOf(name).filter((x) => x.Effect === 'Allow')) {
          for (const r of list(st.Resource)) {
            if (r === '*') expect(list(st.Action), `${name} has Resource "*"`).toEqual(['ses:GetSendQuota']);
          }
          for (const a of list(st.Action)) {
            if (a.includes('*'))
              expect([
                's3:GetObject*',
                's3:GetBucket*',
                's3:List*',
                's3:DeleteObject*',
                's3:Abort*',
              ]).toContain(a);
            expect(a).not.toMatch(/^[a-z0-9-]+:\*$/);
          }
        }
      },
    );

    it.each(FUNCTION_NAMES)('%s: DynamoDB access only to its tables, writes only where allowed', (name) => {
      const statements = policyOf(name).filter((st) =>
        list(st.Action).some((a) => a.startsWith('dynamodb:')),
      );
      const tablesIn = (st: Statement) =>
        TABLE_NAMES.filter((t) =>
          list(st.Resource).some((r) => text(r).includes(`:table/gazette-dev-${t}"`)),
        );
      const access = FUNCTION_ACCESS[name].tables;
      const reachable = new Set(statements.flatMap(tablesIn));
      expect([...reachable].sort()).toEqual((Object.keys(access) as TableName[]).sort());
      for (const st of statements) {
        const writes = list(st.Action).some((a) =>
          ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(a),
        );
        for (const table of tablesIn(st)) {
          if (writes) expect(access[table], `${name} writes ${table}`).toBe('readWrite');
        }
      }
    });

    it.each(FUNCTION_NAMES)('%s: S3 access only to the buckets it uses', (name) => {
      const s3 = policyOf(name).filter((st) => list(st.Action).some((a) => a.startsWith('s3:')));
      const touches = (bucket: string) =>
        s3.some((st) => text(st.Resource).includes(`gazette-dev-${bucket}-`));
      const writes = (bucket: string) =>
        s3.some(
          (st) =>
            text(st.Resource).includes(`gazette-dev-${bucket}-`) && list(st.Action).includes('s3:PutObject'),
        );
      const access = FUNCTION_ACCESS[name];
      expect(touches('site')).toBe(access.site !== undefined);
      expect(writes('site')).toBe(access.site === 'readWrite');
      expect(touches('content')).toBe(access.content !== undefined);
      expect(writes('content')).toBe(false);
      expect(touches('logs')).toBe(false);
    });

    it.each(FUNCTION_NAMES)(
      '%s: sends mail only if it must, from the publication address, via the identity',
      (name) => {
        const send = policyOf(name).filter((st) => list(st.Action).includes('ses:SendRawEmail'));
        expect(send.length > 0).toBe(FUNCTION_ACCESS[name].sendMail);
        const from = readPublication(`${ROOT}/content`).email.from.address;
        for (const st of send) {
          expect(list(st.Action)).toEqual(['ses:SendRawEmail']);
          expect(st.Condition).toEqual({ StringEqualsIgnoreCase: { 'ses:FromAddress': from } });
          const resources = list(st.Resource).map(text);
          expect(resources).toHaveLength(2);
          expect(resources.some((r) => r.includes(':identity/dispatch.example.com'))).toBe(true);
          expect(resources.some((r) => r.includes(':configuration-set/gazette-dev'))).toBe(true);
        }
      },
    );

    it('reads the HMAC secret only where links are signed or checked', () => {
      for (const name of FUNCTION_NAMES) {
        const reads = policyOf(name).some(
          (st) =>
            list(st.Action).includes('secretsmanager:GetSecretValue') &&
            text(st.Resource).includes('HmacSecret'),
        );
        expect(reads, name).toBe(FUNCTION_ACCESS[name].secret);
      }
    });

    it('only the web app reads the origin-verify value, and finds it by its environment', () => {
      const secretId = s.stateless.getLogicalId(s.stateless.originVerify.secret.node.defaultChild as never);
      for (const name of FUNCTION_NAMES) {
        const reads = policyOf(name).some(
          (st) =>
            list(st.Action).includes('secretsmanager:GetSecretValue') && text(st.Resource).includes(secretId),
        );
        expect(reads, name).toBe(name === 'http');
        expect(text(varsOf(name)[ENV.originVerifySecretArn] ?? null).includes(secretId), name).toBe(
          name === 'http',
        );
      }
    });

    it('lets only the queue fillers send to the send queue, and only the worker receive', () => {
      for (const name of FUNCTION_NAMES) {
        const actions = policyOf(name).flatMap((st) => list(st.Action));
        expect(actions.includes('sqs:SendMessage'), name).toBe(FUNCTION_ACCESS[name].queue.includes('send'));
        expect(actions.includes('sqs:ReceiveMessage'), name).toBe(name === 'sendWorker');
      }
    });
  });

  describe('HTTP API', () => {
    it('routes the public pages without authorization and the editor API with IAM', () => {
      const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties ?? {});
      const byKey = Object.fromEntries(routes.map((r) => [r.RouteKey as string, r.AuthorizationType]));
      expect(byKey).toEqual({
        'GET /subscribe': 'NONE',
        'HEAD /subscribe': 'NONE',
        'POST /subscribe': 'NONE',
        'GET /confirm': 'NONE',
        'HEAD /confirm': 'NONE',
        'POST /confirm': 'NONE',
        'GET /preferences': 'NONE',
        'HEAD /preferences': 'NONE',
        'POST /preferences': 'NONE',
        'POST /preferences/{proxy+}': 'NONE',
        'GET /unsubscribe': 'NONE',
        'HEAD /unsubscribe': 'NONE',
        'POST /unsubscribe': 'NONE',
        'ANY /editor/{proxy+}': 'AWS_IAM',
      });
    });

    it('has no catch-all route: anything else is answered by API Gateway without the function', () => {
      const keys = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties?.RouteKey);
      expect(keys).not.toContain('$default');
      expect(keys.filter((k) => String(k).startsWith('ANY') && !String(k).includes('/editor/'))).toEqual([]);
    });

    it('throttles the stage and writes JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('"status":"\\$context.status"'),
        },
      });
    });
  });

  describe('send queue', () => {
    const queue = () =>
      resourcesOf(template, 'AWS::SQS::Queue').find(
        ([, q]) => q.Properties?.RedrivePolicy !== undefined,
      )?.[1];

    it('dead-letters a message after 5 receives and hides it 6 times the worker timeout', () => {
      const q = queue()?.Properties ?? {};
      expect((q.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBe(5);
      const workerTimeout = fnResource('sendWorker').Properties.Timeout as number;
      expect(q.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * workerTimeout);
      expect(q.SqsManagedSseEnabled).toBe(true);
    });

    it('encrypts every queue and refuses plain HTTP to each', () => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      expect(queues.length).toBe(5);
      for (const [id, q] of queues) {
        expect(q.Properties?.SqsManagedSseEnabled, id).toBe(true);
        const policy = resourcesOf(template, 'AWS::SQS::QueuePolicy').find(([, p]) =>
          text(p.Properties?.Queues).includes(`"${id}"`),
        );
        expect(text(policy?.[1].Properties?.PolicyDocument), id).toContain('"aws:SecureTransport":"false"');
      }
    });

    it('feeds the worker batches of 10 with partial failures and capped concurrency', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnIds.sendWorker },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: s.config.workerMaxConcurrency },
      });
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    });
  });

  describe('schedules from content/publication.yaml', () => {
    const publication = readPublication(`${ROOT}/content`);
    const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
    const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
    const clock = (time: string) => time.split(':').map(Number) as [number, number];

    it('runs each digest cadence at its time in its time zone, with retries and a dead-letter queue', () => {
      const schedules = resourcesOf(template, 'AWS::Scheduler::Schedule').map(([, r]) => r.Properties ?? {});
      const { daily, weekly } = publication.schedule;
      const expected: Array<[string, string, string]> = [];
      if (daily) {
        const [h, m] = clock(daily.time);
        expected.push(['daily', `cron(${m} ${h} * * ? *)`, daily.timeZone]);
      }
      if (weekly) {
        const [h, m] = clock(weekly.time);
        expected.push([
          'weekly',
          `cron(${m} ${h} ? * ${days[weekdays.indexOf(weekly.day)]} *)`,
          weekly.timeZone,
        ]);
      }
      expect(expected.length).toBeGreaterThan(0);
      for (const [cadence, expression, zone] of expected) {
        const found = schedules.find((p) => text(p.Target).includes(`\\"cadence\\":\\"${cadence}\\"`));
        expect(found, cadence).toBeDefined();
        expect(found?.ScheduleExpression).toBe(expression);
        expect(found?.ScheduleExpressionTimezone).toBe(zone);
        expect(found?.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
        const target = found?.Target as Record<string, unknown>;
        expect(JSON.parse(target.Input as string)).toEqual({
          cadence,
          scheduledTime: '<aws.scheduler.scheduled-time>',
        });
        expect(text(target.Arn)).toContain(fnIds.edition);
        expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 4 });
        expect(target.DeadLetterConfig).toBeDefined();
      }
    });

    it('publishes posts that became due every hour', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 * * * ? *)',
        ScheduleExpressionTimezone: publication.timeZone,
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnIds.publish, 'Arn'] },
          Input: JSON.stringify({ kind: 'publish-due', scheduledTime: '<aws.scheduler.scheduled-time>' }),
          DeadLetterConfig: Match.anyValue(),
        }),
      });
    });
  });

  describe('alarms', () => {
    const alarms = () => resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});

    it('raise on any message in any dead-letter queue', () => {
      const dlq = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
      expect(dlq).toHaveLength(4);
      for (const a of dlq)
        expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });

    it('raise on any error of any function', () => {
      const errors = alarms().filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda');
      const watched = errors.map((a) => text(a.Dimensions));
      for (const name of FUNCTION_NAMES)
        expect(
          watched.some((d) => d.includes(fnIds[name])),
          name,
        ).toBe(true);
      for (const a of errors)
        expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });

    it('raise before SES would pause the account: bounces above 5%, complaints above 0.1%', () => {
      expect(alarms().find((a) => a.MetricName === 'Reputation.BounceRate')).toMatchObject({
        Namespace: 'AWS/SES',
        Threshold: 0.05,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(alarms().find((a) => a.MetricName === 'Reputation.ComplaintRate')).toMatchObject({
        Namespace: 'AWS/SES',
        Threshold: 0.001,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    it('raise on schedule target errors and API 5xx', () => {
      expect(alarms().find((a) => a.MetricName === 'TargetErrorCount')).toMatchObject({
        Namespace: 'AWS/Scheduler',
        Dimensions: [{ Name: 'ScheduleGroup', Value: 'gazette-dev' }],
      });
      expect(alarms().find((a) => a.MetricName === '5xx')).toMatchObject({ Namespace: 'AWS/ApiGateway' });
    });

    it('all notify the alarm topic, and again when they clear', () => {
      expect(alarms()).toHaveLength(13);
      for (const a of alarms()) {
        expect(a.AlarmName).toMatch(/^gazette-dev-[A-Za-z0-9]+$/);
        expect(text(a.AlarmActions)).toMatch(/AlarmTopic/);
        expect(text(a.OKActions)).toMatch(/AlarmTopic/);
        expect(a.TreatMissingData).toBe('notBreaching');
      }
    });
  });

  describe('CloudFront', () => {
    const config = () =>
      (resourcesOf(template, 'AWS::CloudFront::Distribution')[0]?.[1].Properties?.DistributionConfig ??
        {}) as Record<string, unknown>;
    const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
    const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

    it('serves the site bucket by default through origin access control, index.html at the root', () => {
      const c = config();
      expect(c.DefaultRootObject).toBe('index.html');
      const origins = c.Origins as Array<Record<string, unknown>>;
      const site = origins.find((o) => o.S3OriginConfig !== undefined);
      expect(site?.OriginAccessControlId).toBeDefined();
      const d = c.DefaultCacheBehavior as Record<string, unknown>;
      expect(d.TargetOriginId).toBe(site?.Id);
      expect(d.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(d.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(text(d.FunctionAssociations)).toContain('viewer-request');
    });

    it('lets the publisher decide how long pages and feeds are cached', () => {
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({ MinTTL: 0, DefaultTTL: 300, MaxTTL: 31536000 }),
      });
      expect(text((config().DefaultCacheBehavior as Record<string, unknown>).CachePolicyId)).toMatch(
        /SiteCache/,
      );
    });

    const behaviors = () => config().CacheBehaviors as Array<Record<string, unknown>>;
    const apiOrigin = () =>
      (config().Origins as Array<Record<string, unknown>>).find((o) => o.CustomOriginConfig !== undefined);

    it('sends the subscription paths to the API, uncached, with the viewer request but Host', () => {
      const api = apiOrigin();
      expect(text(api?.DomainName)).toContain('execute-api');
      const toApi = behaviors().filter((b) => b.TargetOriginId === api?.Id);
      expect(toApi.map((b) => b.PathPattern)).toEqual(PUBLIC_PATHS);
      for (const b of toApi) {
        expect(b).toMatchObject({
          TargetOriginId: api?.Id,
          CachePolicyId: CACHING_DISABLED,
          OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        });
      }
    });

    it('does not route the editor API: signatures are made for the API host, so editors call it there', () => {
      const patterns = behaviors().map((b) => String(b.PathPattern));
      expect(patterns.filter((p) => p.startsWith('/editor'))).toEqual([]);
      // `/editor/…` here falls to the site bucket's default behaviour: a page that does not exist.
      expect(text(config().DefaultCacheBehavior)).not.toContain(String(apiOrigin()?.Id));
      expect(text(template.findOutputs('EditorApiUrl'))).toContain('execute-api');
    });

    it('tells the API each request came through CloudFront with the secret origin-verify value', () => {
      const secretId = s.stateless.getLogicalId(s.stateless.originVerify.secret.node.defaultChild as never);
      const headers = apiOrigin()?.OriginCustomHeaders as Array<{ HeaderName: string; HeaderValue: unknown }>;
      expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
      // A dynamic reference CloudFormation resolves at deploy time: the value is not in the template.
      expect(headers[0]?.HeaderValue).toEqual({
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
      });
      const secret = template.toJSON().Resources[secretId] as Resource;
      expect(secret.Properties?.GenerateSecretString).toMatchObject({
        PasswordLength: 48,
        ExcludePunctuation: true,
        IncludeSpace: false,
      });
      // The site bucket origin gets no such header.
      const site = (config().Origins as Array<Record<string, unknown>>).find((o) => o.S3OriginConfig);
      expect(site?.OriginCustomHeaders).toBeUndefined();
    });

    it("serves editions' web copies from the bucket with a policy that lets their inline styles apply", () => {
      const copies = behaviors().find((b) => b.PathPattern === EDITIONS_PATH);
      if (!copies) throw new Error(`no ${EDITIONS_PATH} behaviour`);
      const site = (config().Origins as Array<Record<string, unknown>>).find((o) => o.S3OriginConfig);
      expect(copies).toMatchObject({
        TargetOriginId: site?.Id,
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        Compress: true,
      });
      const d = config().DefaultCacheBehavior as Record<string, unknown>;
      expect(copies.CachePolicyId).toEqual(d.CachePolicyId);
      expect(copies.FunctionAssociations).toEqual(d.FunctionAssociations);
      expect(copies.ResponseHeadersPolicyId).not.toEqual(d.ResponseHeadersPolicyId);
      const policyId = (copies.ResponseHeadersPolicyId as { Ref: string }).Ref;
      const policy = (template.toJSON().Resources[policyId] as Resource).Properties
        ?.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, unknown>;
        CustomHeadersConfig: { Items: Array<{ Header: string; Value: string }> };
      };
      expect(policy.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: WEB_COPY_CONTENT_SECURITY_POLICY,
        Override: false,
      });
      expect(WEB_COPY_CONTENT_SECURITY_POLICY).toContain("style-src 'unsafe-inline'");
      expect(WEB_COPY_CONTENT_SECURITY_POLICY).not.toMatch(/script-src|'unsafe-eval'/);
      expect(WEB_COPY_CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
      expect(policy.SecurityHeadersConfig.FrameOptions).toEqual({ FrameOption: 'DENY', Override: false });
      expect(policy.CustomHeadersConfig.Items).toContainEqual(
        expect.objectContaining({ Header: 'Permissions-Policy', Value: PERMISSIONS_POLICY }),
      );
      // Every other path keeps the app's strict policy.
      const strictId = (d.ResponseHeadersPolicyId as { Ref: string }).Ref;
      const strict = (template.toJSON().Resources[strictId] as Resource).Properties
        ?.ResponseHeadersPolicyConfig;
      expect(text(strict)).toContain(JSON.stringify(CONTENT_SECURITY_POLICY));
      for (const b of behaviors().filter((x) => x.PathPattern !== EDITIONS_PATH))
        expect(b.ResponseHeadersPolicyId, String(b.PathPattern)).toEqual(d.ResponseHeadersPolicyId);
    });

    it("adds the web app's security headers to every response", () => {
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: false },
            ContentTypeOptions: { Override: false },
            FrameOptions: { FrameOption: 'DENY', Override: false },
            ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: false },
            StrictTransportSecurity: Match.objectLike({
              AccessControlMaxAgeSec: 63072000,
              IncludeSubdomains: true,
            }),
          }),
          CustomHeadersConfig: {
            Items: Match.arrayWith([
              { Header: 'Permissions-Policy', Value: PERMISSIONS_POLICY, Override: false },
            ]),
          },
        }),
      });
    });

    it('shows 404.html for a missing page and logs to the logs bucket', () => {
      expect(config().CustomErrorResponses).toEqual([
        { ErrorCode: 404, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 10 },
      ]);
      expect(text(config().Logging)).toContain('gazette-dev-logs-');
    });

    it('owns the site bucket policy: TLS only, and reads only by this distribution', () => {
      const [, policy] = resourcesOf(template, 'AWS::S3::BucketPolicy')[0] ?? [];
      expect(text(policy?.Properties?.Bucket)).toContain('gazette-dev-site-');
      const statements = statementsOf(policy);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      const allow = statements.find((st) => st.Effect === 'Allow');
      expect(list(allow?.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(text(allow?.Condition)).toMatch(/AWS:SourceArn.*:distribution\/.*SiteDistribution/);
    });
  });

  it('uploads content/ and then asks the publish function once to rebuild the site', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      Prune: true,
      DestinationBucketName: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith(['gazette-dev-content-'])]),
      }),
    });
    const [, trigger] = resourcesOf(template, 'Custom::GazettePublishAfterDeploy')[0] ?? [];
    const create = text(trigger?.Properties?.Create);
    expect(create).toContain('content-deployed');
    expect(create).toContain('\\"InvocationType\\":\\"Event\\"');
    expect(create).toContain(fnIds.publish);
    const deployment = resourcesOf(template, 'Custom::CDKBucketDeployment')[0]?.[0];
    expect(trigger?.DependsOn).toEqual(
      expect.arrayContaining([expect.stringContaining(deployment?.slice(0, 12) ?? '?')]),
    );
  });

  it('offers editors a managed policy: invoke the editor routes of this API, read its URL', () => {
    const [, policy] = resourcesOf(template, 'AWS::IAM::ManagedPolicy')[0] ?? [];
    const statements = statementsOf(policy);
    expect(statements.map((st) => st.Action)).toEqual([
      'execute-api:Invoke',
      'cloudformation:DescribeStacks',
    ]);
    expect(text(statements[0]?.Resource)).toMatch(/HttpApi.*\/\$default\/\*\/editor\/\*"/);
    expect(statements[1]?.Resource).toEqual({ Ref: 'AWS::StackId' });
    expect(template.findOutputs('EditorPolicyArn')).not.toEqual({});
  });

  it('outputs the editor API URL (SigV4 is signed for its host) and the site URL', () => {
    const outputs = template.findOutputs('*');
    expect(text(outputs.EditorApiUrl?.Value)).toContain('execute-api');
    expect(outputs.SiteUrl).toBeDefined();
  });
});

describe('stateless stack with a custom domain and hosted zone', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthGazette({
      context: {
        'gazette:stage': 'prod',
        'gazette:stages': {
          prod: {
            siteDomain: 'dispatch.example.com',
            certificateArn:
              'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
            hostedZoneId: 'Z0123456789ABCDEFGHIJ',
            hostedZoneName: 'example.com',
            sesIdentity: 'dispatch@dispatch.example.com',
            sendRateShare: 0.5,
            workerMaxConcurrency: 10,
            alarmEmail: 'ops@example.com',
            sandboxRecipients: ['tester@example.org'],
          },
        },
      },
    });
  });
  afterAll(() => s?.dispose());

  it('serves the domain with its certificate and TLS 1.2 at least, and points the zone at it', () => {
    s.statelessTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['dispatch.example.com'],
        ViewerCertificate: Match.objectLike({
          AcmCertificateArn: Match.stringLikeRegexp('^arn:aws:acm:us-east-1:'),
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
    const records = resourcesOf(s.statelessTemplate, 'AWS::Route53::RecordSet').map(([, r]) => r.Properties);
    expect(records.map((r) => r?.Type).sort()).toEqual(['A', 'AAAA']);
    for (const r of records) expect(r?.HostedZoneId).toBe('Z0123456789ABCDEFGHIJ');
  });

  it('links mail to the domain and caps the workers as configured', () => {
    s.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.publicUrl]: 'https://dispatch.example.com/' }) },
    });
    s.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('a stage in the SES sandbox assumes its rate of 1 mail a second when SES does not answer', () => {
    s.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.sendRate]: String(SES_SANDBOX_SEND_RATE),
          [ENV.workerMaxConcurrency]: '10',
        }),
      },
    });
  });

  it('lets the senders mail the verified sandbox recipients through the address identity', () => {
    const policies = resourcesOf(s.statelessTemplate, 'AWS::IAM::Policy').map(([, p]) =>
      text(p.Properties?.PolicyDocument),
    );
    const sending = policies.filter((p) => p.includes('ses:SendRawEmail'));
    expect(sending).toHaveLength(2);
    for (const p of sending) {
      expect(p).toContain(':identity/dispatch@dispatch.example.com');
      expect(p).toContain(':identity/tester@example.org');
    }
  });
});
