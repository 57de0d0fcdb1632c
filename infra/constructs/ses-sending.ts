import { Aws, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isWithin, type SesIdentity } from '../config/stage-config.js';

export interface SesSendingProps {
  /** `gazette-<stage>`: the configuration set's name. */
  configurationSetName: string;
  identity: SesIdentity;
  /** The zone in which DKIM and MAIL FROM records are created, when the domain is inside it. */
  hostedZone?: route53.IHostedZone | undefined;
  /** Encrypts the feedback topic; its policy must let SES use it. */
  topicKey: kms.IKey;
  /** Verified recipients while the account is in the SES sandbox (SES authorizes them too). */
  sandboxRecipients: readonly string[];
}

/** The subdomain SES uses as envelope sender (MAIL FROM), so SPF aligns with the From domain for DMARC. */
export const MAIL_FROM_LABEL = 'bounce';

/**
 * Everything Gazette needs from SES: the configuration set (reputation metrics, TLS required,
 * SES's account suppression for bounces and complaints as a second net), the feedback topic
 * that receives bounce, complaint, delivery and reject events, and the sending identity: a domain
 * with Easy DKIM and a custom MAIL FROM domain, or one verified address.
 */
export class SesSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  readonly identity: ses.EmailIdentity;
  /** The identity's ARN, built from its name so that grants in other stacks name it literally. */
  readonly identityArn: string;
  readonly feedbackTopic: sns.Topic;
  private readonly sandboxRecipientArns: string[];

  constructor(scope: Construct, id: string, props: SesSendingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.configurationSetName = props.configurationSetName;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: props.configurationSetName,
    });

    this.feedbackTopic = new sns.Topic(this, 'FeedbackTopic', {
      displayName: `Gazette SES feedback (${props.configurationSetName})`,
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    // SES publishes to an encrypted topic only if the key lets it; scoped to this configuration set.
    props.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesFeedbackEvents',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': this.configurationSetArn },
        },
      }),
    );
    this.configurationSet.addEventDestination('Feedback', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      // Not SEND (one event per mail that nobody reads), nor OPEN/CLICK (no tracking).
      events: [
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.RENDERING_FAILURE,
      ],
    });

    this.identity = this.createIdentity(props);
    this.identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.identity.kind === 'domain' ? props.identity.domain : props.identity.address,
    });
    this.sandboxRecipientArns = props.sandboxRecipients.map((address) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: address }),
    );
  }

  private createIdentity(props: SesSendingProps): ses.EmailIdentity {
    if (props.identity.kind === 'address') {
      return new ses.EmailIdentity(this, 'Identity', {
        identity: ses.Identity.email(props.identity.address),
        configurationSet: this.configurationSet,
      });
    }
    const domain = props.identity.domain;
    const mailFrom = `${MAIL_FROM_LABEL}.${domain}`;
    const identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(domain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain: mailFrom,
      // Until the MX record exists, SES falls back to amazonses.com instead of refusing mail.
      mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
    const records = [
      ...[1, 2, 3].map((n) => ({
        type: 'CNAME' as const,
        name: identity[`dkimDnsTokenName${n as 1 | 2 | 3}`],
        value: identity[`dkimDnsTokenValue${n as 1 | 2 | 3}`],
      })),
      { type: 'MX' as const, name: mailFrom, value: `10 feedback-smtp.${Aws.REGION}.amazonses.com` },
      { type: 'TXT' as const, name: mailFrom, value: '"v=spf1 include:amazonses.com ~all"' },
    ];
    const zone = props.hostedZone;
    if (zone && isWithin(domain, zone.zoneName)) {
      records.forEach((record, i) => {
        new route53.CfnRecordSet(this, `Record${i + 1}${record.type}`, {
          hostedZoneId: zone.hostedZoneId,
          name: record.name,
          type: record.type,
          resourceRecords: [record.value],
          ttl: String(Duration.minutes(30).toSeconds()),
        });
      });
    } else {
      // No zone we manage: print the records for whoever runs the domain's DNS (docs/deploy.md).
      records.forEach((record, i) => {
        // At stack level, so the output keys read SesDnsRecord1…5 in `cdk deploy`'s output.
        new CfnOutput(Stack.of(this), `SesDnsRecord${i + 1}`, {
          description: `SES DNS record ${i + 1} of ${records.length} for ${domain}: ${record.type}`,
          value: `${record.name} ${record.type} ${record.value}`,
        });
      });
    }
    return identity;
  }

  /**
   * Lets `grantee` call SendRawEmail through this identity and configuration set, from `fromAddress`
   * only. SES authorizes a send against the identity, the configuration set and, in the sandbox,
   * each verified recipient, so those are the resources; nothing else may be sent.
   */
  grantSendRawEmail(grantee: iam.IGrantable, fromAddress: string): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendRawEmail'],
      resourceArns: [this.identityArn, this.configurationSetArn, ...this.sandboxRecipientArns],
      conditions: { StringEqualsIgnoreCase: { 'ses:FromAddress': fromAddress } },
    });
  }
}
