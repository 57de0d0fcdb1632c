import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  digestSchedules,
  publishDueExpression,
  type SchedulerExpression,
  schedulerExpression,
} from '../../adapters/local/local-scheduler.js';
import type { DigestCadence, Publication } from '../../core/model.js';

export interface EditionSchedulesProps {
  /** Schedule group name, `gazette-<stage>`: alarms watch the group. */
  groupName: string;
  publication: Pick<Publication, 'schedule' | 'timeZone'>;
  editionFunction: lambda.IFunction;
  publishFunction: lambda.IFunction;
  /** Where an invocation goes after its retries fail. */
  deadLetterQueue: sqs.IQueue;
}

/** One schedule as deployed, for outputs and tests. */
export interface DeployedSchedule {
  job: DigestCadence | 'publish-due';
  expression: SchedulerExpression;
  schedule: scheduler.Schedule;
}

/**
 * EventBridge Scheduler schedules: one per digest cadence of publication.yaml, in its own time
 * zone (the expressions come from the same helper the local scheduler uses, so both fire at the
 * same instants, daylight saving included), plus an hourly one that publishes posts that became
 * due. Each target retries, then parks the event in a dead-letter queue that raises an alarm.
 */
export class EditionSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly schedules: DeployedSchedule[] = [];

  constructor(scope: Construct, id: string, props: EditionSchedulesProps) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: props.groupName });
    const retry = {
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    };

    for (const { cadence, schedule } of digestSchedules(props.publication.schedule)) {
      const expression = schedulerExpression(cadence, schedule);
      this.add(
        cadence,
        expression,
        `Gazette ${cadence} edition`,
        new targets.LambdaInvoke(props.editionFunction, {
          ...retry,
          input: scheduler.ScheduleTargetInput.fromObject({
            cadence,
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
        }),
      );
    }
    const hourly = publishDueExpression(props.publication.timeZone);
    this.add(
      'publish-due',
      hourly,
      'Gazette: publish posts that became due',
      new targets.LambdaInvoke(props.publishFunction, {
        ...retry,
        // An hour late, the next run does the same work.
        maxEventAge: Duration.minutes(55),
        input: scheduler.ScheduleTargetInput.fromObject({
          kind: 'publish-due',
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
      }),
    );
  }

  private add(
    job: DeployedSchedule['job'],
    expression: SchedulerExpression,
    description: string,
    target: scheduler.IScheduleTarget,
  ): void {
    const schedule = new scheduler.Schedule(this, job === 'publish-due' ? 'PublishDue' : `Edition-${job}`, {
      scheduleGroup: this.group,
      description,
      schedule: scheduler.ScheduleExpression.expression(
        expression.expression,
        TimeZone.of(expression.timeZone),
      ),
      target,
      timeWindow: scheduler.TimeWindow.off(),
    });
    this.schedules.push({ job, expression, schedule });
  }
}
