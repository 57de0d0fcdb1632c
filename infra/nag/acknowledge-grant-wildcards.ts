/**
 * cdk-nag's AwsSolutions-IAM5 reports every `*` in an allowed action or resource. The grant
 * methods of CDK constructs produce a few on purpose (object ARNs of a bucket, index ARNs of a
 * table, qualified ARNs of a function, grouped S3 actions). This module acknowledges exactly those
 * shapes, each with the reason it is scoped, and nothing else: any other wildcard stays a finding
 * and fails the synthesis.
 *
 * Findings are read with cdk-nag's own rule, so the acknowledged ids are the ones it reports.
 * That holds because the stateless stack names tables and buckets by name (no cross-stack
 * references whose form changes during synthesis).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

interface WildcardRule {
  finding: RegExp;
  reason: string;
  /** Extra condition on the policy's statements (what the wildcard may be used with). */
  holds?: (statements: Statement[]) => boolean;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every Allow statement with this resource shape grants only these actions. */
function onlyActions(resource: (r: unknown) => boolean, actions: readonly string[]) {
  return (statements: Statement[]) =>
    statements
      .filter((s) => s.Effect === 'Allow' && list(s.Resource).some(resource))
      .every((s) => list(s.Action).every((a) => actions.includes(a)));
}

const isStar = (r: unknown) => r === '*';

/** `{ "Fn::Join": ["", [{ "Fn::GetAtt": [fn, "Arn"] }, ":*"]] }`: a function's qualified ARNs. */
function isQualifiedFunctionArn(r: unknown): boolean {
  const parts = (r as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join']?.[1];
  const [arn, suffix] = parts ?? [];
  return (
    parts?.length === 2 && suffix === ':*' && typeof arn === 'object' && arn !== null && 'Fn::GetAtt' in arn
  );
}

export const GRANT_WILDCARD_RULES: readonly WildcardRule[] = [
  {
    finding: /^Action::s3:(GetObject|GetBucket|List)\*$/,
    reason:
      "Bucket.grantRead's action groups (s3:GetObject*, s3:GetBucket*, s3:List*): reading the objects of the one bucket this statement names, as the grant asks.",
  },
  {
    finding: /^Action::s3:(DeleteObject|Abort)\*$/,
    reason:
      "Bucket.grantReadWrite's write groups (s3:DeleteObject*, s3:Abort*): deleting objects (pages of removed posts) and aborting multipart uploads in the one bucket this statement names.",
  },
  {
    finding:
      /^Resource::arn:(aws[a-z-]*|<AWS::Partition>):s3:::gazette-[a-z0-9-]+-(site|content)-<AWS::AccountId>-[^*]+\/\*$/,
    reason:
      "The objects of this stage's bucket (<bucket ARN>/*), the only way IAM names a bucket's objects; added by the bucket's grant method.",
  },
  {
    finding:
      /^Resource::arn:(aws[a-z-]*|<AWS::Partition>):dynamodb:[^*]+:table\/gazette-[a-z0-9-]+-[A-Za-z]+\/index\/\*$/,
    reason:
      "The global secondary indexes of this one table (<table ARN>/index/*), added by TableV2.grantReadData/grantReadWriteData so that Query can use the table's indexes.",
  },
  {
    finding: /^Resource::<[A-Za-z0-9]+\.Arn>:\*$/,
    holds: onlyActions(isQualifiedFunctionArn, ['lambda:InvokeFunction']),
    reason:
      'The versions and aliases of this one function (<function ARN>:*), added by Function.grantInvoke; the only action on them is lambda:InvokeFunction.',
  },
  {
    finding: /^Resource::\*$/,
    holds: onlyActions(isStar, ['ses:GetSendQuota']),
    reason:
      "ses:GetSendQuota has no resource type in IAM, so it can only be allowed on '*'; the statement holds that single read-only action (the send worker learns the account's maximum send rate from it).",
  },
  {
    finding: /^Resource::arn:[^*]+:execute-api:[^*]+\/\$default\/\*\/editor\/\*$/,
    holds: onlyActions((r) => JSON.stringify(r).includes('/editor/*'), ['execute-api:Invoke']),
    reason:
      'Every method and path under /editor/ of this one HTTP API stage: the editor API is one route (ANY /editor/{proxy+}) and an editor needs all of it; no other route or API is reachable with it.',
  },
  {
    finding:
      /^Resource::arn:(aws[a-z-]*|<AWS::Partition>):s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-[^*]+\/\*$/,
    reason:
      "The CDK bootstrap staging bucket's objects: BucketDeployment's handler reads the zipped content/ asset from it. CDK's bootstrap names that bucket; the handler writes only to the content bucket.",
  },
];

/** Acknowledges the grant-method wildcards of every IAM policy under `scope`; returns the ids. */
export function acknowledgeGrantWildcards(scope: IConstruct): string[] {
  const acknowledged: string[] = [];
  for (const node of scope.node.findAll()) {
    if (!(node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy)) continue;
    const findings = rules.iam.IAMNoWildcardPermissions(node);
    if (!Array.isArray(findings)) continue;
    const document = Stack.of(node).resolve(node.policyDocument) as { Statement?: Statement[] };
    const statements = document.Statement ?? [];
    for (const finding of findings) {
      const rule = GRANT_WILDCARD_RULES.find(
        (r) => r.finding.test(finding) && (r.holds?.(statements) ?? true),
      );
      if (!rule) continue;
      const id = `AwsSolutions-IAM5[${finding}]`;
      Validations.of(node).acknowledge({ id, reason: rule.reason });
      acknowledged.push(`${node.node.path} ${id}`);
    }
  }
  return acknowledged;
}
