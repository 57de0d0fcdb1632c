import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const { GET, HEAD, POST, ANY } = apigwv2.HttpMethod;

/** The reader-facing routes: no authorization, the app checks signed tokens and rate limits. */
export const PUBLIC_ROUTES: ReadonlyArray<{ path: string; methods: apigwv2.HttpMethod[] }> = [
  { path: '/subscribe', methods: [GET, HEAD, POST] },
  { path: '/confirm', methods: [GET, HEAD, POST] },
  { path: '/preferences', methods: [GET, HEAD, POST] },
  // /preferences/export and /preferences/delete.
  { path: '/preferences/{proxy+}', methods: [POST] },
  { path: '/unsubscribe', methods: [GET, HEAD, POST] },
];

/** The editor API: every method, SigV4-signed by an IAM principal allowed to invoke it. */
export const EDITOR_ROUTE = '/editor/{proxy+}';

/**
 * First paths of the public routes, which CloudFront sends to the API. The editor routes are not
 * among them: editors sign for the API's own host (see SiteDistribution).
 */
export const PUBLIC_PATHS = ['/subscribe', '/confirm', '/preferences', '/preferences/*', '/unsubscribe'];

export interface HttpApiProps {
  name: string;
  handler: lambda.IFunction;
  accessLogGroupName: string;
  logRetention: logs.RetentionDays;
  /** Steady-state requests per second across all routes, and the burst above it. */
  throttle: { rateLimit: number; burstLimit: number };
}

/**
 * The HTTP API (API Gateway v2) in front of the web app: the public subscription routes, and
 * the editor routes behind IAM authorization so only signed requests of allowed principals reach
 * the app. Anything else gets API Gateway's 404 without invoking the function. Access logs are
 * JSON in their own log group; a stage-wide throttle caps what a flood can cost.
 */
export class GazetteHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** Attach to the IAM users or roles of editors: invoke the editor routes, find the API. */
  readonly editorPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: props.name,
      description: 'Gazette subscription pages and editor API',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: props.accessLogGroupName,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigwv2AccessLogFormat(),
      },
    });

    const integration = new HttpLambdaIntegration('App', props.handler);
    for (const route of PUBLIC_ROUTES) {
      const routes = this.api.addRoutes({ path: route.path, methods: route.methods, integration });
      for (const r of routes) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'A public subscription route: readers are anonymous by design. The app authorizes each action with an HMAC-signed, expiring token, and rate-limits subscribe per address and client.',
        });
      }
    }
    this.api.addRoutes({
      path: EDITOR_ROUTE,
      methods: [ANY],
      integration,
      authorizer: new HttpIamAuthorizer(),
    });

    this.editorPolicy = new iam.ManagedPolicy(this, 'EditorPolicy', {
      description: `Gazette ${props.name}: call the editor API (gazette send/editions/preview --stage)`,
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [this.api.arnForExecuteApi('*', '/editor/*', '$default')],
        }),
        new iam.PolicyStatement({
          // The CLI finds the API's URL in this stack's outputs.
          actions: ['cloudformation:DescribeStacks'],
          resources: [Stack.of(this).stackId],
        }),
      ],
    });
  }
}

/** One JSON object per request, with HTTP API's own context variables. */
function apigwv2AccessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      time: '$context.requestTime',
      ip: '$context.identity.sourceIp',
      userAgent: '$context.identity.userAgent',
      method: '$context.httpMethod',
      path: '$context.path',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLength: '$context.responseLength',
      latencyMs: '$context.responseLatency',
      integrationStatus: '$context.integrationStatus',
      integrationError: '$context.integrationErrorMessage',
      authError: '$context.authorizer.error',
      caller: '$context.identity.caller',
    }),
  );
}
