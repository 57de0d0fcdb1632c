import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BUNDLE_SETTINGS,
  copyFolderCommands,
  STUB_MODULE,
  STUBBED_PACKAGES,
} from '../bundling/esbuild-options.js';
import type { FunctionSpec } from '../bundling/function-specs.js';

/** The repository root: entry paths and templates/ are relative to it. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

export interface GazetteFunctionProps {
  spec: FunctionSpec;
  /** `gazette-<stage>-<function>`: what operators type (`aws lambda invoke`, log group names). */
  functionName: string;
  /** Powertools service name, e.g. `gazette-send-worker`. */
  serviceName: string;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  /** Where failed asynchronous invocations go after Lambda's own retries. */
  deadLetterQueue?: sqs.IQueue | undefined;
}

/** NodejsFunction's bundling options from the shared settings (see esbuild-options.ts). */
export function nodejsBundling(spec: FunctionSpec): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    keepNames: BUNDLE_SETTINGS.keepNames,
    sourceMap: BUNDLE_SETTINGS.sourcemap,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    externalModules: [...BUNDLE_SETTINGS.external],
    banner: BUNDLE_SETTINGS.banner,
    metafile: BUNDLE_SETTINGS.metafile,
    // esbuild runs in the project root; `--alias:<package>=./<file>`.
    esbuildArgs: { '--alias': STUBBED_PACKAGES.map((name) => `${name}=./${STUB_MODULE}`) },
    // Local esbuild only: no Docker on build machines, and the same esbuild as the benchmark.
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => copyFolderCommands(spec, inputDir, outputDir),
    },
  };
}

/**
 * One Lambda function of Gazette: Node 24 on arm64, an ESM bundle built by local esbuild, JSON
 * logs (Powertools) into its own log group with a retention, and a role that starts empty: it may
 * write its logs and nothing else until the stack grants it what the function uses.
 */
export class GazetteFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GazetteFunctionProps) {
    super(scope, id);
    const { spec } = props;
    // Lambda's own place for it, so the console's "View logs" finds it. Destroyed with the stack:
    // a retained group of this name would stop the stack from being created again.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole, which may write to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Gazette ${props.serviceName}`,
    });
    this.logGroup.grantWrite(this.role);
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      entry: join(PROJECT_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      bundling: nodejsBundling(spec),
    });
  }
}
