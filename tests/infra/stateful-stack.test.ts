import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../adapters/aws/create-tables.js';
import { physicalTableName, TABLE_NAMES, TABLES } from '../../adapters/aws/tables.js';
import { resourcesOf, type Synthesized, synthGazette } from './synth-gazette.js';

const byName = <T extends { AttributeName?: string; IndexName?: string }>(items: readonly T[] = []) =>
  [...items].sort((a, b) =>
    String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)),
  );

describe('stateful stack (dev stage from cdk.json)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthGazette();
  });
  afterAll(() => s?.dispose());

  describe('DynamoDB tables match adapters/aws/tables.ts', () => {
    it('has exactly the tables of the module', () => {
      const names = resourcesOf(s.statefulTemplate, 'AWS::DynamoDB::GlobalTable').map(
        ([, r]) => r.Properties?.TableName,
      );
      expect(names.sort()).toEqual(TABLE_NAMES.map((t) => physicalTableName('gazette-dev-', t)).sort());
    });

    it.each(TABLE_NAMES)('%s: keys, attributes and indexes as the local stack creates them', (table) => {
      const expected = createTableInput(physicalTableName('gazette-dev-', table), TABLES[table]);
      const [, resource] = resourcesOf(s.statefulTemplate, 'AWS::DynamoDB::GlobalTable').find(
        ([, r]) => r.Properties?.TableName === expected.TableName,
      ) ?? [undefined, undefined];
      const p = resource?.Properties as Record<string, unknown>;
      expect(p.BillingMode).toBe('PAY_PER_REQUEST');
      expect(p.KeySchema).toEqual(expected.KeySchema);
      expect(byName(p.AttributeDefinitions as never[])).toEqual(byName(expected.AttributeDefinitions));
      const indexes = (p.GlobalSecondaryIndexes ?? []) as Array<Record<string, unknown>>;
      expect(byName(indexes as never[])).toEqual(byName((expected.GlobalSecondaryIndexes ?? []) as never[]));
    });

    it.each(TABLE_NAMES)('%s: point-in-time recovery, deletion protection, TTL and RETAIN', (table) => {
      const definition = TABLES[table];
      const [, resource] = resourcesOf(s.statefulTemplate, 'AWS::DynamoDB::GlobalTable').find(
        ([, r]) => r.Properties?.TableName === physicalTableName('gazette-dev-', table),
      ) ?? [undefined, undefined];
      expect(resource?.DeletionPolicy).toBe('Retain');
      expect(resource?.UpdateReplacePolicy).toBe('Retain');
      const replicas = resource?.Properties?.Replicas as Array<Record<string, unknown>>;
      expect(replicas).toHaveLength(1);
      expect(replicas[0]?.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(replicas[0]?.DeletionProtectionEnabled).toBe(true);
      const ttl = resource?.Properties?.TimeToLiveSpecification;
      if ('ttlAttribute' in definition) {
        expect(ttl).toEqual({ AttributeName: definition.ttlAttribute, Enabled: true });
      } else {
        expect(ttl).toBeUndefined();
      }
    });
  });

  describe('buckets', () => {
    const buckets = () => resourcesOf(s.statefulTemplate, 'AWS::S3::Bucket');

    it('are three, named by stage, account and region, and retained', () => {
      const names = buckets().map(([, r]) => JSON.stringify(r.Properties?.BucketName));
      for (const role of ['content', 'site', 'logs']) {
        expect(names.some((n) => n.includes(`gazette-dev-${role}-`) && n.includes('AWS::AccountId'))).toBe(
          true,
        );
      }
      expect(buckets()).toHaveLength(3);
      for (const [, bucket] of buckets()) {
        expect(bucket.DeletionPolicy).toBe('Retain');
      }
    });

    it('block all public access and encrypt at rest', () => {
      for (const [, bucket] of buckets()) {
        expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties?.BucketEncryption).toEqual({
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        });
      }
    });

    it('deny every request without TLS (content and logs here; the site bucket in the stateless stack)', () => {
      const policies = resourcesOf(s.statefulTemplate, 'AWS::S3::BucketPolicy');
      const logical = (role: string) =>
        buckets().find(([, r]) =>
          JSON.stringify(r.Properties?.BucketName).includes(`gazette-dev-${role}-`),
        )?.[0];
      for (const role of ['content', 'logs']) {
        const policy = policies.find(
          ([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: logical(role) }),
        );
        expect(policy, role).toBeDefined();
        expect(policy?.[1].Properties?.PolicyDocument).toMatchObject({
          Statement: expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        });
      }
      expect(
        policies.some(([, p]) => JSON.stringify(p.Properties?.Bucket).includes(logical('site') ?? '?')),
      ).toBe(false);
    });

    it('keep versions of content and log access to the logs bucket', () => {
      const content = buckets().find(([, r]) =>
        JSON.stringify(r.Properties?.BucketName).includes('gazette-dev-content-'),
      );
      expect(content?.[1].Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      const logs = buckets().find(([, r]) =>
        JSON.stringify(r.Properties?.BucketName).includes('gazette-dev-logs-'),
      );
      for (const role of ['content', 'site']) {
        const bucket = buckets().find(([, r]) =>
          JSON.stringify(r.Properties?.BucketName).includes(`gazette-dev-${role}-`),
        );
        expect(bucket?.[1].Properties?.LoggingConfiguration).toEqual({
          DestinationBucketName: { Ref: logs?.[0] },
          LogFilePrefix: `s3/${role}/`,
        });
      }
    });
  });

  it('generates the HMAC secret and retains it', () => {
    s.statefulTemplate.hasResource('AWS::SecretsManager::Secret', {
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
      DeletionPolicy: 'Retain',
    });
  });

  describe('SES', () => {
    it('has a configuration set with reputation metrics, TLS and account-level suppression', () => {
      s.statefulTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: 'gazette-dev',
        ReputationOptions: { ReputationMetricsEnabled: true },
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
    });

    it('sends bounces, complaints, deliveries and rejects to an encrypted topic', () => {
      const [topicId] =
        resourcesOf(s.statefulTemplate, 'AWS::SNS::Topic').find(([id]) =>
          id.startsWith('SesFeedbackTopic'),
        ) ?? [];
      s.statefulTemplate.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: Match.arrayWith(['bounce', 'complaint', 'delivery', 'reject']),
          SnsDestination: { TopicARN: { Ref: topicId } },
        },
      });
      s.statefulTemplate.hasResourceProperties('AWS::SNS::Topic', {
        DisplayName: Match.stringLikeRegexp('SES feedback'),
        KmsMasterKeyId: Match.anyValue(),
      });
      s.statefulTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'ses.amazonaws.com' },
              Action: 'sns:Publish',
            }),
          ]),
        },
      });
    });

    it('verifies the domain with Easy DKIM (2048 bit) and a custom MAIL FROM domain', () => {
      s.statefulTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'dispatch.example.com',
        DkimAttributes: { SigningEnabled: true },
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        MailFromAttributes: { MailFromDomain: 'bounce.dispatch.example.com' },
        ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
      });
    });

    it('prints the DKIM, MX and SPF records when no hosted zone is managed', () => {
      const outputs = s.statefulTemplate.findOutputs('*');
      const records = Object.values(outputs).filter((o) =>
        String(o.Description).startsWith('SES DNS record'),
      );
      expect(records.map((o) => String(o.Description).split(': ')[1])).toEqual([
        'CNAME',
        'CNAME',
        'CNAME',
        'MX',
        'TXT',
      ]);
      s.statefulTemplate.resourceCountIs('AWS::Route53::RecordSet', 0);
    });
  });

  it('encrypts both topics with a rotated key that SES and CloudWatch may use', () => {
    s.statefulTemplate.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'ses.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('mails alarms to the alarm address and lets CloudWatch publish them', () => {
    s.statefulTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'desk@dispatch.example.com',
    });
    s.statefulTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarms',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('is protected against deletion', () => {
    expect(s.stateful.terminationProtection).toBe(true);
  });
});

describe('stateful stack with a hosted zone and a custom domain', () => {
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
            sesIdentity: 'dispatch.example.com',
            sendRateShare: 0.5,
            workerMaxConcurrency: 4,
            alarmEmail: 'ops@example.com',
          },
        },
      },
    });
  });
  afterAll(() => s?.dispose());

  it('creates the DKIM CNAMEs and the MAIL FROM MX and SPF records in the zone', () => {
    const records = resourcesOf(s.statefulTemplate, 'AWS::Route53::RecordSet').map(([, r]) => r.Properties);
    expect(records.map((r) => r?.Type)).toEqual(['CNAME', 'CNAME', 'CNAME', 'MX', 'TXT']);
    for (const r of records) expect(r?.HostedZoneId).toBe('Z0123456789ABCDEFGHIJ');
    expect(records[4]?.ResourceRecords).toEqual(['"v=spf1 include:amazonses.com ~all"']);
    const outputs = Object.values(s.statefulTemplate.findOutputs('*'));
    expect(outputs.some((o) => String(o.Description).startsWith('SES DNS record'))).toBe(false);
  });

  it('names everything after the stage', () => {
    expect(s.stateful.stackName).toBe('Gazette-prod-Stateful');
    s.statefulTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'gazette-prod-subscribers',
    });
    s.statefulTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'gazette-prod' });
  });
});
