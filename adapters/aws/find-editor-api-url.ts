import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type CredentialsProvider, MissingCredentialsError } from './editor-api-signer.js';

/** The stack that holds the HTTP API of a stage (infra/create-app.ts names it so). */
export function statelessStackName(stage: string): string {
  return `Gazette-${stage}-Stateless`;
}

/** The output of that stack with the editor API's URL. */
export const EDITOR_API_URL_OUTPUT = 'EditorApiUrl';

/** The stage's stack or its output cannot be found; `userMessage` says what to do. */
export class StageLookupError extends Error {
  override readonly name = 'StageLookupError';
  constructor(
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
}

/**
 * The editor API URL of a deployed stage, from its stack's `EditorApiUrl` output, read with the
 * user's credentials (cloudformation:DescribeStacks) in `region` (or the profile's region).
 */
export async function findEditorApiUrl(input: {
  stage: string;
  region?: string | undefined;
  credentials: CredentialsProvider;
}): Promise<{ url: string; region: string }> {
  const stackName = statelessStackName(input.stage);
  const client = new CloudFormationClient({
    ...(input.region ? { region: input.region } : {}),
    credentials: input.credentials,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 15_000 }),
  });
  let region: string;
  try {
    region = await client.config.region();
  } catch (error) {
    throw new StageLookupError(
      'no AWS region is set: pass --region (e.g. --region eu-west-1), set AWS_REGION, or give your profile a region',
      { cause: error },
    );
  }
  try {
    const res = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const output = res.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === EDITOR_API_URL_OUTPUT);
    if (!output?.OutputValue) {
      throw new StageLookupError(
        `stack ${stackName} in ${region} has no ${EDITOR_API_URL_OUTPUT} output: deploy the current version (\`npx cdk deploy -c gazette:stage=${input.stage} --all\`) or pass --url`,
      );
    }
    const url = output.OutputValue.endsWith('/') ? output.OutputValue : `${output.OutputValue}/`;
    return { url, region };
  } catch (error) {
    if (error instanceof StageLookupError || error instanceof MissingCredentialsError) throw error;
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'ValidationError' && /does not exist/.test(message)) {
      throw new StageLookupError(
        `there is no stage '${input.stage}' in ${region} (no stack ${stackName}): check the name and --region, or deploy it with \`npx cdk deploy -c gazette:stage=${input.stage} --all\``,
        { cause: error },
      );
    }
    if (name === 'AccessDenied' || name === 'AccessDeniedException') {
      throw new StageLookupError(
        `your AWS identity may not read stack ${stackName} (cloudformation:DescribeStacks): use a profile that can, or pass --url`,
        { cause: error },
      );
    }
    if (/ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/.test(name)) {
      throw new StageLookupError(
        `AWS refused your credentials (${name}): run \`aws sso login\` or choose another AWS_PROFILE`,
        { cause: error },
      );
    }
    throw new StageLookupError(`cannot look up stage '${input.stage}' in ${region}: ${message}`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
