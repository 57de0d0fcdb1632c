/**
 * cdk-nag's AwsSolutions rules over the whole app: no finding left unacknowledged, and every
 * acknowledgement says why in words specific to it.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeGrantWildcards } from '../../infra/nag/acknowledge-grant-wildcards.js';
import { type Synthesized, synthGazette } from './synth-gazette.js';

const ACKNOWLEDGED = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;

function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === ACKNOWLEDGED)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  let s: Synthesized;
  beforeAll(() => {
    // synthGazette registers the AwsSolutions plugin, as `cdk synth` does; a finding throws here.
    s = synthGazette();
  });
  afterAll(() => s?.dispose());

  it('finds nothing unacknowledged in either stack', () => {
    const report = new AwsSolutionsChecks().validateScope(s.app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}: ${v.description}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a reason of its own, of real length', () => {
    const all = acknowledgements(s.app);
    expect(all.length).toBeGreaterThan(10);
    for (const a of all) {
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThanOrEqual(80);
      expect(a.reason, `${a.id} at ${a.path}`).not.toMatch(/^(n\/?a|todo|ok|fine|suppressed?)\b/i);
    }
    // One reason per kind of finding, not one sentence pasted over everything.
    const reasonsByRule = new Map<string, Set<string>>();
    for (const a of all) {
      const rule = a.id.replace(/\[.*$/, '');
      reasonsByRule.set(rule, (reasonsByRule.get(rule) ?? new Set()).add(a.reason));
    }
    const distinct = new Set(all.map((a) => a.reason));
    expect(distinct.size).toBeGreaterThanOrEqual(reasonsByRule.size);
  });

  it('acknowledges wildcards only in the shapes grant methods produce', () => {
    const wildcards = acknowledgements(s.app).filter((a) => a.id.includes('AwsSolutions-IAM5['));
    const shapes = wildcards.map((a) => a.id.replace(/^.*AwsSolutions-IAM5\[/, '').replace(/\]$/, ''));
    for (const shape of shapes) {
      expect(shape).toMatch(
        /^(Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*|Resource::(\*|<[A-Za-z0-9]+\.Arn>:\*|arn:[^*]+:table\/gazette-dev-[A-Za-z]+\/index\/\*|arn:[^*]+:s3:::(gazette-dev-(site|content)|cdk-[a-z0-9]+-assets)-[^*]+\/\*|arn:[^*]+:execute-api:[^*]+\/\$default\/\*\/editor\/\*))$/,
      );
    }
    expect(shapes).toContain('Resource::*');
  });
});

describe('the grant wildcard acknowledger', () => {
  function stackWith(statements: iam.PolicyStatement[]): { app: App; stack: Stack } {
    const app = new App();
    const stack = new Stack(app, 'Probe', { env: { account: '123456789012', region: 'eu-west-1' } });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (const st of statements) role.addToPolicy(st);
    return { app, stack };
  }
  const findings = (app: App) =>
    new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((v) => (v.ruleName.startsWith('AwsSolutions-IAM5') ? [v.ruleName] : []));

  it('acknowledges what a table grant adds', () => {
    const { app, stack } = stackWith([]);
    const table = dynamodb.TableV2.fromTableAttributes(stack, 'T', {
      tableName: 'gazette-dev-subscribers',
      globalIndexes: ['byFanout'],
    });
    table.grantReadData(stack.node.findChild('Role') as iam.Role);
    const before = findings(app);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(
      /^AwsSolutions-IAM5\[Resource::arn:(aws|<AWS::Partition>):dynamodb:eu-west-1:123456789012:table\/gazette-dev-subscribers\/index\/\*\]$/,
    );
    acknowledgeGrantWildcards(stack);
    expect(findings(app)).toEqual([]);
  });

  it('leaves every other wildcard to fail the synthesis', () => {
    const { app, stack } = stackWith([
      new iam.PolicyStatement({
        actions: ['dynamodb:*'],
        resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/x'],
      }),
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/*'],
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::someone-elses-bucket/*'],
      }),
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }),
    ]);
    acknowledgeGrantWildcards(stack);
    expect(findings(app).sort()).toEqual([
      'AwsSolutions-IAM5[Action::dynamodb:*]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:aws:dynamodb:eu-west-1:123456789012:table/*]',
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::someone-elses-bucket/*]',
    ]);
  });

  it("accepts Resource '*' only when it carries ses:GetSendQuota alone", () => {
    const quotaOnly = stackWith([
      new iam.PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }),
    ]);
    acknowledgeGrantWildcards(quotaOnly.stack);
    expect(findings(quotaOnly.app)).toEqual([]);
    const mixed = stackWith([
      new iam.PolicyStatement({ actions: ['ses:GetSendQuota', 'ses:SendRawEmail'], resources: ['*'] }),
    ]);
    acknowledgeGrantWildcards(mixed.stack);
    expect(findings(mixed.app)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
  });
});
