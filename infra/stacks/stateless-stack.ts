import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { TABLE_NAMES } from '../../adapters/aws/tables.js';
import { ENV } from '../../adapters/config/env.js';
import { workerPublicationJson } from '../../adapters/config/worker-publication.js';
import type { Publication } from '../../core/model.js';
import { FUNCTION_ACCESS } from '../bundling/function-access.js';
import { FUNCTION_NAMES, FUNCTION_SPECS, type FunctionName } from '../bundling/function-specs.js';
import { functionName, stageResourceName, tablePrefix } from '../config/resource-names.js';
import type { StageConfig } from '../config/stage-config.js';
import { ContentDeployment } from '../constructs/content-deployment.js';
import { EditionSchedules } from '../constructs/edition-schedules.js';
import { GazetteAlarms } from '../constructs/gazette-alarms.js';
import { GazetteFunction, PROJECT_ROOT } from '../constructs/gazette-function.js';
import { GazetteHttpApi } from '../constructs/http-api.js';
import { OriginVerifySecret } from '../constructs/origin-verify-secret.js';
import { deadLetterQueue, SendQueue } from '../constructs/send-queue.js';
import { SiteDistribution } from '../constructs/site-distribution.js';
import { type StoredResources, storedResources } from '../constructs/stored-resources.js';
import type { StatefulStack } from './stateful-stack.js';

/** Where Lambda unpacks a function's bundle (content/ and templates/ sit next to the handler). */
const LAMBDA_TASK_ROOT = '/var/task';

/** Send worker batches: SQS messages per invocation (each carries many recipients). */
export const SEND_BATCH_SIZE = 10;

/** Powertools service names, the same the handlers give their loggers. */
export const SERVICE_NAMES: Record<FunctionName, string> = {
  http: 'gazette-web',
  sesEvents: 'gazette-ses-events',
  publish: 'gazette-publish',
  edition: 'gazette-edition',
  sendWorker: 'gazette-send-worker',
};

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  publication: Publication;
  stateful: StatefulStack;
  /** Base URL of the web app for links in mail, ending with `/`. */
  publicUrl: string;
  contentDir: string;
}

/**
 * Everything that can be rebuilt from git: the functions, the HTTP API, CloudFront, the send
 * queue, the schedules and the alarms. It holds no data but messages in flight.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, GazetteFunction>;
  readonly sendQueue: SendQueue;
  readonly httpApi: GazetteHttpApi;
  readonly site: SiteDistribution;
  readonly schedules: EditionSchedules;
  readonly alarms: GazetteAlarms;
  readonly content: ContentDeployment;
  /** What CloudFront tells the API with, so the app believes its viewer address. */
  readonly originVerify: OriginVerifySecret;
  /** The stateful stack's tables and buckets, found by name. */
  readonly stored: StoredResources;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const logRetention = logs.RetentionDays.THREE_MONTHS;
    const stored = storedResources(this, config.stage);
    this.stored = stored;

    this.sendQueue = new SendQueue(this, 'Send', {
      workerTimeoutSeconds: FUNCTION_SPECS.sendWorker.timeoutSeconds,
    });
    // Failed asynchronous invocations (publish, edition), after Lambda's two retries.
    const asyncFailures = deadLetterQueue(this, 'AsyncFailures');
    // SES events SNS could not deliver to the function.
    const feedbackFailures = deadLetterQueue(this, 'FeedbackFailures');
    // Schedule invocations that failed after the scheduler's retries.
    const scheduleFailures = deadLetterQueue(this, 'ScheduleFailures');

    this.originVerify = new OriginVerifySecret(this, 'OriginVerify', { stage: config.stage });

    const common: Record<string, string> = {
      [ENV.tablePrefix]: tablePrefix(config.stage),
      [ENV.siteBucket]: stored.siteBucket.bucketName,
      [ENV.publicUrl]: props.publicUrl,
      [ENV.secretArn]: stateful.hmacSecret.secretArn,
    };
    const queueUrl = this.sendQueue.queue.queueUrl;
    const contentBucket = stored.contentBucket.bucketName;
    const configurationSet = stateful.ses.configurationSetName;
    const specific: Record<FunctionName, Record<string, string>> = {
      http: {
        [ENV.sesConfigurationSet]: configurationSet,
        [ENV.queueUrl]: queueUrl,
        [ENV.contentBucket]: contentBucket,
        [ENV.bundleDir]: LAMBDA_TASK_ROOT,
        [ENV.originVerifySecretArn]: this.originVerify.secret.secretArn,
      },
      sesEvents: {},
      publish: {
        [ENV.contentBucket]: contentBucket,
        [ENV.queueUrl]: queueUrl,
        [ENV.bundleDir]: LAMBDA_TASK_ROOT,
      },
      edition: {
        [ENV.contentBucket]: contentBucket,
        [ENV.queueUrl]: queueUrl,
        [ENV.bundleDir]: LAMBDA_TASK_ROOT,
      },
      // The worker reads no content: its publication fields come validated, as JSON.
      sendWorker: {
        [ENV.sesConfigurationSet]: configurationSet,
        [ENV.queueUrl]: queueUrl,
        [ENV.publication]: workerPublicationJson(props.publication),
        [ENV.sendRateShare]: String(config.sendRateShare),
        [ENV.sendRate]: String(config.sendRateFallback),
        [ENV.workerMaxConcurrency]: String(config.workerMaxConcurrency),
      },
    };
    const asyncDlq: Partial<Record<FunctionName, typeof asyncFailures>> = {
      publish: asyncFailures,
      edition: asyncFailures,
    };

    this.functions = Object.fromEntries(
      FUNCTION_NAMES.map((name) => [
        name,
        new GazetteFunction(this, `${pascal(name)}Function`, {
          spec: FUNCTION_SPECS[name],
          functionName: functionName(config.stage, name),
          serviceName: SERVICE_NAMES[name],
          environment: { ...common, ...specific[name] },
          logRetention,
          deadLetterQueue: asyncDlq[name],
        }),
      ]),
    ) as Record<FunctionName, GazetteFunction>;

    this.grantAccess(props);

    const worker = this.functions.sendWorker.fn;
    worker.addEventSource(
      new lambdaEvents.SqsEventSource(this.sendQueue.queue, {
        batchSize: SEND_BATCH_SIZE,
        maxConcurrency: config.workerMaxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    stateful.ses.feedbackTopic.addSubscription(
      new subscriptions.LambdaSubscription(this.functions.sesEvents.fn, {
        deadLetterQueue: feedbackFailures,
      }),
    );

    this.httpApi = new GazetteHttpApi(this, 'Http', {
      name: stageResourceName(config.stage),
      handler: this.functions.http.fn,
      accessLogGroupName: `/gazette/${config.stage}/http-api-access`,
      logRetention,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    this.site = new SiteDistribution(this, 'Site', {
      siteBucket: stored.siteBucket,
      apiId: this.httpApi.api.apiId,
      originVerifyValue: this.originVerify.headerValue(),
      logsBucket: stored.logsBucket,
      domain:
        config.siteDomain && config.certificateArn
          ? {
              name: config.siteDomain,
              certificateArn: config.certificateArn,
              hostedZone: stateful.hostedZone,
            }
          : undefined,
    });

    this.schedules = new EditionSchedules(this, 'Schedules', {
      groupName: stageResourceName(config.stage),
      publication: props.publication,
      editionFunction: this.functions.edition.fn,
      publishFunction: this.functions.publish.fn,
      deadLetterQueue: scheduleFailures,
    });

    this.content = new ContentDeployment(this, 'Content', {
      contentDir: props.contentDir,
      contentBucket: stored.contentBucket,
      publishFunction: this.functions.publish.fn,
      logRetention,
    });

    this.alarms = new GazetteAlarms(this, 'Alarms', {
      namePrefix: `${stageResourceName(config.stage)}-`,
      topic: stateful.alarmTopic,
      deadLetterQueues: {
        Send: this.sendQueue.deadLetterQueue,
        AsyncFailures: asyncFailures,
        FeedbackFailures: feedbackFailures,
        ScheduleFailures: scheduleFailures,
      },
      functions: Object.fromEntries(FUNCTION_NAMES.map((n) => [pascal(n), this.functions[n].fn])),
      scheduleGroup: this.schedules.group,
      apiServerErrors: this.httpApi.stage.metricServerError({ period: Duration.minutes(5) }),
    });

    new CfnOutput(this, 'SiteUrl', {
      description: 'The archive, feeds and subscription pages',
      value: config.siteDomain ? `https://${config.siteDomain}/` : this.site.url,
    });
    new CfnOutput(this, 'DistributionDomainName', { value: this.site.distribution.distributionDomainName });
    new CfnOutput(this, 'EditorApiUrl', {
      description:
        'Sign editor requests (SigV4, service execute-api) against this URL, not the CloudFront one',
      value: this.httpApi.stage.url,
    });
    new CfnOutput(this, 'EditorPolicyArn', {
      description: 'Attach to the IAM users or roles that may preview, test and send editions',
      value: this.httpApi.editorPolicy.managedPolicyArn,
    });
    new CfnOutput(this, 'SendQueueUrl', { value: this.sendQueue.queue.queueUrl });
  }

  private grantAccess(props: StatelessStackProps): void {
    const { stateful, publication } = props;
    const { tables, siteBucket, contentBucket } = this.stored;
    for (const name of FUNCTION_NAMES) {
      const access = FUNCTION_ACCESS[name];
      const fn = this.functions[name].fn;
      for (const table of TABLE_NAMES) {
        const level = access.tables[table];
        if (level === 'read') tables[table].grantReadData(fn);
        if (level === 'readWrite') tables[table].grantReadWriteData(fn);
      }
      if (access.site === 'read') siteBucket.grantRead(fn);
      if (access.site === 'readWrite') siteBucket.grantReadWrite(fn);
      if (access.content === 'read') contentBucket.grantRead(fn);
      if (access.secret) stateful.hmacSecret.grantRead(fn);
      if (access.originVerify) this.originVerify.secret.grantRead(fn);
      if (access.sendMail) stateful.ses.grantSendRawEmail(fn, publication.email.from.address);
      if (access.sendQuota) {
        // GetSendQuota has no resource type in IAM: it can only be granted on '*'. It reads the
        // account's sending limits and nothing else.
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }));
      }
      // Consuming is granted by the event source mapping (below); sending here.
      if (access.queue.includes('send')) this.sendQueue.queue.grantSendMessages(fn);
    }
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export const DEFAULT_CONTENT_DIR = join(PROJECT_ROOT, 'content');
