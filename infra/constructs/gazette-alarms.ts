import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * SES reviews an account at a 5% bounce rate and may pause sending at 10%; for complaints the
 * figures are 0.1% and 0.5%. Alarming at the review thresholds leaves time to act.
 */
export const BOUNCE_RATE_THRESHOLD = 0.05;
export const COMPLAINT_RATE_THRESHOLD = 0.001;

export interface GazetteAlarmsProps {
  /** Alarm names start with it: `gazette-<stage>-`. */
  namePrefix: string;
  topic: sns.ITopic;
  deadLetterQueues: Record<string, sqs.IQueue>;
  functions: Record<string, lambda.IFunction>;
  scheduleGroup: scheduler.IScheduleGroup;
  apiServerErrors: cloudwatch.IMetric;
}

/**
 * The alarms that mean someone should look, all to one topic (mailed to the alarm address):
 * a message in any dead-letter queue, any function error, schedules that fail to invoke, API
 * 5xx responses, and the SES account's bounce and complaint rates nearing what SES tolerates.
 */
export class GazetteAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: GazetteAlarmsProps) {
    super(scope, id);
    this.action = new actions.SnsAction(props.topic);
    this.namePrefix = props.namePrefix;

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`${name}DeadLetters`, {
        alarmDescription: `Messages are waiting in the ${name} dead-letter queue: look at them, fix the cause, redrive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, {
        alarmDescription: `The ${name} function failed (uncaught errors or timeouts); see its log group.`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
    this.add('ScheduleTargetErrors', {
      alarmDescription: 'EventBridge Scheduler could not invoke an edition or publish function.',
      metric: props.scheduleGroup.metricTargetErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.add('ApiServerErrors', {
      alarmDescription: 'The HTTP API answered 5xx: the app failed or API Gateway could not reach it.',
      metric: props.apiServerErrors,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.add('SesBounceRate', {
      alarmDescription: `SES bounce rate above ${BOUNCE_RATE_THRESHOLD * 100}% (SES may pause sending at 10%): check the list's sources and the bounce suppression.`,
      metric: sesReputation('Reputation.BounceRate'),
      threshold: BOUNCE_RATE_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.add('SesComplaintRate', {
      alarmDescription: `SES complaint rate above ${COMPLAINT_RATE_THRESHOLD * 100}% (SES may pause sending at 0.5%): check consent and the unsubscribe links.`,
      metric: sesReputation('Reputation.ComplaintRate'),
      threshold: COMPLAINT_RATE_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }

  private add(id: string, props: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'>): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.namePrefix}${id}`,
      evaluationPeriods: 1,
      // No data means nothing happened: no dead letters, no errors, no mail sent.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}

/** The account-wide reputation metric SES publishes (a ratio, 0.05 = 5%). */
function sesReputation(metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/SES',
    metricName,
    statistic: 'Maximum',
    period: Duration.hours(1),
  });
}
