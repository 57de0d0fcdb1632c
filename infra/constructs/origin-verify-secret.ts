import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Letters and digits: it travels as an HTTP header value. */
export const ORIGIN_VERIFY_LENGTH = 48;

/**
 * The value CloudFront adds as `X-Gazette-Origin-Verify` to every request it forwards to the
 * HTTP API, generated once by Secrets Manager. The web app takes the reader's address from
 * `CloudFront-Viewer-Address` only on requests that carry it, so a caller who goes straight to the
 * API cannot choose the address the subscribe limit counts. It guards nothing else, and holds no
 * data: it lives in the stateless stack and a new one is made if that stack is made again.
 */
export class OriginVerifySecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Gazette ${props.stage}: the value CloudFront sends to the API in X-Gazette-Origin-Verify`,
      generateSecretString: {
        passwordLength: ORIGIN_VERIFY_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Automatic rotation would change the value in Secrets Manager but not in CloudFront's origin configuration, which CloudFormation reads only when the distribution is deployed; until both agree the limit would count per edge location. Rotate by hand (put a new value, then deploy), as docs/deploy.md describes. The value only tells the app which address to count; it authorizes nothing.",
    });
  }

  /**
   * The value as a CloudFormation dynamic reference (`{{resolve:secretsmanager:…}}`), resolved by
   * CloudFormation at deploy time: it is never in the template or the synthesized app.
   */
  headerValue(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }
}
