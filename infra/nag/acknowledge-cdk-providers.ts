/**
 * Functions that aws-cdk-lib itself adds for BucketDeployment and AwsCustomResource: their
 * runtime and role are CDK's choice, not this app's, and cannot be set through the constructs.
 */
import { type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const BUCKET_DEPLOYMENT_PREFIX = 'Custom::CDKBucketDeployment';
/** AwsCustomResource's singleton provider function. */
const AWS_CUSTOM_RESOURCE_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

export function acknowledgeCdkProviders(stack: Stack): void {
  for (const child of stack.node.children) {
    const id = child.node.id;
    if (id.startsWith(BUCKET_DEPLOYMENT_PREFIX)) {
      acknowledgeBasicExecutionRole(child, 'BucketDeployment');
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          "BucketDeployment's handler is aws-cdk-lib's own (Python with the AWS CLI layer); its runtime is pinned by the aws-cdk-lib version and moves when aws-cdk-lib is upgraded.",
      });
    } else if (id === AWS_CUSTOM_RESOURCE_ID) {
      acknowledgeBasicExecutionRole(child, 'AwsCustomResource');
    }
  }
}

function acknowledgeBasicExecutionRole(provider: IConstruct, construct: string): void {
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: `${construct}'s provider function is created by aws-cdk-lib with the AWSLambdaBasicExecutionRole managed policy (write its own logs); the role is not configurable. It runs only during deployments.`,
  });
}
