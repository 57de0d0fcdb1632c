import { FileSystem, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** What the deploy hands the publish function: rebuild the site from the content just uploaded. */
export interface ContentDeployedEvent {
  kind: 'content-deployed';
  /** Fingerprint of content/ and of the publish function's bundle: a change of either republishes. */
  revision: string;
}

export interface ContentDeploymentProps {
  contentDir: string;
  contentBucket: s3.IBucket;
  publishFunction: lambda.IFunction;
  logRetention: logs.RetentionDays;
}

/**
 * Uploads content/ to the content bucket on every deploy (deleting what was removed from git),
 * then asks the publish function, once, to rebuild the site.
 *
 * Why one call after the upload rather than S3 event notifications: the upload writes every file
 * of content/, so a notification per object would rebuild the whole site once per post, in
 * parallel and out of order; a single asynchronous invocation after the upload has finished sees
 * all of it. It runs again whenever content/ or the publish function's bundle (templates, code)
 * changes. A failed rebuild ends in the publish function's dead-letter queue, which raises an
 * alarm, and the hourly publish-due schedule rebuilds from the bucket anyway.
 */
export class ContentDeployment extends Construct {
  readonly deployment: s3deploy.BucketDeployment;
  readonly trigger: cr.AwsCustomResource;
  readonly revision: string;

  constructor(scope: Construct, id: string, props: ContentDeploymentProps) {
    super(scope, id);
    this.deployment = new s3deploy.BucketDeployment(this, 'Upload', {
      sources: [s3deploy.Source.asset(props.contentDir)],
      destinationBucket: props.contentBucket,
      prune: true,
      // The content bucket is versioned: a deleted post can still be restored from its old version.
      retainOnDelete: true,
      memoryLimit: 512,
      logGroup: new logs.LogGroup(this, 'UploadLogs', {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });

    this.revision = `${FileSystem.fingerprint(props.contentDir)}:${bundleHash(props.publishFunction)}`;
    const event: ContentDeployedEvent = { kind: 'content-deployed', revision: this.revision };
    const call: cr.AwsSdkCall = {
      service: 'Lambda',
      action: 'invoke',
      parameters: {
        FunctionName: props.publishFunction.functionArn,
        InvocationType: 'Event',
        Payload: JSON.stringify(event),
      },
      physicalResourceId: cr.PhysicalResourceId.of(`publish-${this.revision}`),
    };
    this.trigger = new cr.AwsCustomResource(this, 'Publish', {
      resourceType: 'Custom::GazettePublishAfterDeploy',
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [props.publishFunction.functionArn],
        }),
      ]),
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, 'PublishTriggerLogs', {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.trigger.node.addDependency(this.deployment);
  }
}

/** The content hash of a function's code asset (its S3 key), known at synth time. */
function bundleHash(fn: lambda.IFunction): string {
  const cfn = fn.node.defaultChild as lambda.CfnFunction | undefined;
  const code = cfn ? (Stack.of(fn).resolve(cfn.code) as { s3Key?: unknown; S3Key?: unknown }) : undefined;
  const key = code?.s3Key ?? code?.S3Key;
  return typeof key === 'string' ? key.replace(/\.zip$/, '') : 'unknown';
}
