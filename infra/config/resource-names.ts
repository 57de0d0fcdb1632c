/**
 * Physical names of the resources the stateless stack finds by name rather than by a
 * cross-stack reference. By name, the stateless stack does not pin CloudFormation exports of the
 * stateful one (an export in use cannot change), and its policies name each table and bucket
 * literally, so every wildcard left in them is readable and reviewable.
 */
import { Aws } from 'aws-cdk-lib';
import type { FunctionName } from '../bundling/function-specs.js';

export type BucketRole = 'content' | 'site' | 'logs';

/** `gazette-<stage>-<role>-<account>-<region>`: globally unique, at most 63 characters. */
export function bucketName(stage: string, role: BucketRole): string {
  return `gazette-${stage}-${role}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** `gazette-<stage>-`: prefix of every table (adapters/aws/tables.ts adds the logical name). */
export function tablePrefix(stage: string): string {
  return `gazette-${stage}-`;
}

/** Name of the stage's SES configuration set, schedule group and HTTP API. */
export function stageResourceName(stage: string): string {
  return `gazette-${stage}`;
}

/** `gazette-<stage>-send-worker`. */
export function functionName(stage: string, name: FunctionName): string {
  return `gazette-${stage}-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
