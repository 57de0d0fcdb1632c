import { ArnFormat, CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { TableName } from '../../adapters/aws/tables.js';
import { bucketName, stageResourceName, tablePrefix } from '../config/resource-names.js';
import type { StageConfig } from '../config/stage-config.js';
import { DataTables } from '../constructs/data-tables.js';
import { logsBucket, privateBucket } from '../constructs/private-bucket.js';
import { SesSending } from '../constructs/ses-sending.js';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/**
 * What must outlive any deploy: subscribers and the delivery ledger, the content and site
 * buckets, the HMAC secret that signs every link already mailed, the SES identity and its
 * configuration set, and the notification topics. Everything here is RETAIN; the stateless
 * stack can be destroyed and redeployed without losing a subscriber or breaking a link.
 */
export class StatefulStack extends Stack {
  readonly tables: Record<TableName, dynamodb.TableV2>;
  readonly logsBucket: s3.Bucket;
  readonly contentBucket: s3.Bucket;
  readonly siteBucket: s3.Bucket;
  readonly hmacSecret: secretsmanager.Secret;
  readonly ses: SesSending;
  readonly alarmTopic: sns.Topic;
  readonly hostedZone: route53.IHostedZone | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.tables = new DataTables(this, 'Tables', { tablePrefix: tablePrefix(config.stage) }).tables;

    this.logsBucket = logsBucket(this, 'LogsBucket', bucketName(config.stage, 'logs'));
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log destination of the other buckets and of CloudFront; logging it into itself would log its own log writes without end.',
    });
    this.contentBucket = privateBucket(this, 'ContentBucket', {
      bucketName: bucketName(config.stage, 'content'),
      logs: this.logsBucket,
      logPrefix: 's3/content/',
      versioned: true,
    });
    this.siteBucket = privateBucket(this, 'SiteBucket', {
      bucketName: bucketName(config.stage, 'site'),
      logs: this.logsBucket,
      logPrefix: 's3/site/',
      // The stateless stack owns this bucket's one policy (TLS-only deny + the CloudFront origin
      // access control allow), because that allow names the distribution, which lives there.
      enforceSsl: false,
    });
    Validations.of(this.siteBucket).acknowledge({
      id: 'AwsSolutions-S10',
      reason:
        "The site bucket's TLS-only deny is in its bucket policy created by the stateless stack (SiteBucketPolicy), next to the distribution that policy names; a policy here would be replaced by that one.",
    });

    this.hmacSecret = new secretsmanager.Secret(this, 'HmacSecret', {
      description: `Gazette ${config.stage}: HMAC key that signs confirm, preferences and unsubscribe links`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.hmacSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key signs the unsubscribe and preferences links in every mail already sent; rotating it automatically would break those links (RFC 8058 one-click unsubscribe must keep working). Rotate by hand, as docs/deploy.md describes.',
    });

    const topicKey = new kms.Key(this, 'NotificationsKey', {
      description: `Gazette ${config.stage}: encrypts the SES feedback and alarm topics`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.hostedZone = config.hostedZone
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
          hostedZoneId: config.hostedZone.id,
          zoneName: config.hostedZone.name,
        })
      : undefined;

    this.ses = new SesSending(this, 'Ses', {
      configurationSetName: stageResourceName(config.stage),
      identity: config.sesIdentity,
      hostedZone: this.hostedZone,
      topicKey,
      sandboxRecipients: config.sandboxRecipients,
    });

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Gazette ${config.stage} alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    // Here rather than with the alarms: an e-mail subscription must be confirmed again whenever
    // it is recreated, and this stack is never replaced.
    this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    // A topic policy replaces SNS's default one, which is what lets CloudWatch publish; say it again.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    new CfnOutput(this, 'ContentBucketName', { value: this.contentBucket.bucketName });
    new CfnOutput(this, 'SiteBucketName', { value: this.siteBucket.bucketName });
    new CfnOutput(this, 'ConfigurationSetName', { value: this.ses.configurationSetName });
  }
}
