import { join } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../web/client-address.js';
import {
  CONTENT_SECURITY_POLICY,
  PERMISSIONS_POLICY,
  WEB_COPY_CONTENT_SECURITY_POLICY,
} from '../../web/security-headers.js';
import { PUBLIC_PATHS } from './http-api.js';

/** Objects without their own Cache-Control stay this long at the edge. */
export const SITE_DEFAULT_TTL = Duration.minutes(5);
/** The longest the edge keeps anything, whatever the origin says. */
export const SITE_MAX_TTL = Duration.days(365);
/** A missing page is remembered briefly: a post published a minute later must appear. */
export const NOT_FOUND_TTL = Duration.seconds(10);
/** The editions' web copies ("view in browser"): the mail's HTML, styled inline. */
export const EDITIONS_PATH = '/editions/*';

export interface SiteDistributionProps {
  /** The site bucket of the stateful stack, imported by name (see the class comment). */
  siteBucket: s3.IBucket;
  /** The HTTP API's id; its execute-api host becomes the API origin. */
  apiId: string;
  /**
   * What CloudFront sends in `X-Gazette-Origin-Verify` to the API (a dynamic reference to the
   * secret, see OriginVerifySecret), so the app can believe `CloudFront-Viewer-Address`.
   */
  originVerifyValue: string;
  logsBucket: s3.IBucket;
  domain?: { name: string; certificateArn: string; hostedZone?: route53.IHostedZone | undefined } | undefined;
}

/**
 * CloudFront in front of everything: the site bucket (private, reached only through origin access
 * control) for every path, and the HTTP API for the subscription paths. The editor API is not
 * routed here: a SigV4 signature covers the host it was made for, so editors call the API's own
 * URL, and `/editor/…` on this host is a page that does not exist.
 *
 * The site bucket is imported by name and its one bucket policy is created here: the origin
 * access control statement names this distribution, and a bucket in the stateful stack whose policy
 * referred to a distribution in this stack would make each stack depend on the other.
 */
export class SiteDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly siteBucketPolicy: s3.BucketPolicy;
  readonly siteCachePolicy: cloudfront.CachePolicy;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The same headers, but the web copies' policy: their inline styles apply, still no script. */
  readonly webCopyHeadersPolicy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);
    const site = props.siteBucket;
    this.siteBucketPolicy = new s3.BucketPolicy(this, 'SiteBucketPolicy', { bucket: site });
    this.siteBucketPolicy.document.addStatements(
      new iam.PolicyStatement({
        sid: 'DenyInsecureTransport',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [site.bucketArn, site.arnForObjects('*')],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    // Hand the policy to the imported bucket so the origin adds its statement to this one.
    site.policy = this.siteBucketPolicy;
    Validations.of(this.siteBucketPolicy).acknowledge({
      id: 'AwsSolutions-S10',
      reason:
        'The policy denies every request without TLS on the bucket and its objects (statement DenyInsecureTransport); the rule cannot match it to the bucket because the bucket is named by account and region tokens. tests/infra asserts the statement.',
    });

    this.siteCachePolicy = new cloudfront.CachePolicy(this, 'SiteCache', {
      comment: 'Gazette site: honour the Cache-Control the publisher sets on each object',
      minTtl: Duration.seconds(0),
      defaultTtl: SITE_DEFAULT_TTL,
      maxTtl: SITE_MAX_TTL,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
    });
    this.responseHeadersPolicy = securityHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Gazette security headers (match the web app)',
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    });
    this.webCopyHeadersPolicy = securityHeadersPolicy(this, 'WebCopyHeaders', {
      comment: "Gazette editions' web copies: inline styles, no script (match the local server)",
      contentSecurityPolicy: WEB_COPY_CONTENT_SECURITY_POLICY,
    });

    const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(site, {
      // LIST lets S3 answer 404 (not 403) for a missing page, so only real 404s become 404.html.
      originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
    });
    const apiOrigin = new origins.HttpOrigin(
      `${props.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        // CloudFront overwrites a header of this name sent by the viewer.
        customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifyValue },
      },
    );
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Everything the viewer sent (form bodies, query strings) but Host, which must be the API's
      // own for API Gateway to route it; this managed policy also adds CloudFront's headers, among
      // them CloudFront-Viewer-Address, the reader's address (custom policies that leave out Host
      // cannot add them).
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeadersPolicy,
    };

    const indexRewrite = new cloudfront.Function(this, 'IndexRewrite', {
      comment: 'Folder URLs to index.html; extension-less paths to their folder URL',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromFile({
        filePath: join(import.meta.dirname, '..', 'edge', 'index-rewrite.js'),
      }),
    });

    const domain = props.domain;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Gazette archive, feeds and subscription pages',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: this.siteCachePolicy,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
        functionAssociations: [
          { function: indexRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        ...Object.fromEntries(PUBLIC_PATHS.map((path) => [path, apiBehavior])),
        [EDITIONS_PATH]: {
          origin: siteOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: this.siteCachePolicy,
          responseHeadersPolicy: this.webCopyHeadersPolicy,
          compress: true,
          functionAssociations: [
            { function: indexRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
      },
      errorResponses: [
        { httpStatus: 404, responseHttpStatus: 404, responsePagePath: '/404.html', ttl: NOT_FOUND_TTL },
      ],
      enableLogging: true,
      logBucket: props.logsBucket,
      logFilePrefix: 'cloudfront/',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      // North America and Europe edges: the cheapest class; readers elsewhere are served from them.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      ...(domain
        ? {
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            domainNames: [domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
          }
        : {}),
    });

    if (domain?.hostedZone) {
      const target = route53.RecordTarget.fromAlias(new route53Targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'AliasA', { zone: domain.hostedZone, recordName: domain.name, target });
      new route53.AaaaRecord(this, 'AliasAaaa', { zone: domain.hostedZone, recordName: domain.name, target });
    }

    Validations.of(this.distribution).acknowledge(
      {
        id: 'Annotation::@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
        reason:
          'LIST is granted so that S3 answers 404 for a missing page; no listing can be served because the distribution has a default root object and the viewer-request function maps every folder URL to its index.html.',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'A public newsletter archive and subscription pages are meant for readers in every country; there is no market to fence off.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL: the site is static pages from S3, and the only dynamic routes (subscribe) are throttled by API Gateway and rate-limited per address and client in DynamoDB; a web ACL would cost more than the traffic it filters. Add one here if abuse appears.',
      },
    );
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be chosen; with siteDomain and certificateArn set, the distribution requires TLSv1.2_2021.',
      });
    }
  }

  /** `https://<CloudFront domain>/`. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}

/**
 * The headers the web app sends itself (web/security-headers.ts), for what S3 serves, with the
 * given Content-Security-Policy. Origin headers win: an app response that sets its own keeps it.
 */
function securityHeadersPolicy(
  scope: Construct,
  id: string,
  options: { comment: string; contentSecurityPolicy: string },
): cloudfront.ResponseHeadersPolicy {
  const override = false;
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: options.comment,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: options.contentSecurityPolicy, override },
      contentTypeOptions: { override },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override,
      },
    },
    customHeadersBehavior: {
      customHeaders: [
        { header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override },
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override },
      ],
    },
  });
}
