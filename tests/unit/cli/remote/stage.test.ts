/**
 * `--stage NAME` end to end, on 127.0.0.1: the stack output is read from a stand-in for
 * CloudFormation's DescribeStacks (AWS_ENDPOINT_URL_CLOUDFORMATION), and the editor API
 * stand-in accepts only requests whose SigV4 signature verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../support/cli-harness.js';
import { type StandIn, startStandIn, verifySigV4 } from './http-stand-in.js';

const SECRET = 'stage-test-secret-key';
let api: StandIn;
let cloudFormation: StandIn;
const saved = { ...process.env };

const stackXml = (
  apiUrl: string,
) => `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult><Stacks><member>
    <StackName>Gazette-test-Stateless</StackName><StackStatus>UPDATE_COMPLETE</StackStatus>
    <CreationTime>2026-11-01T00:00:00Z</CreationTime>
    <Outputs><member><OutputKey>EditorApiUrl</OutputKey><OutputValue>${apiUrl}</OutputValue></member></Outputs>
  </member></Stacks></DescribeStacksResult>
  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;

const missingXml = (
  name: string,
) => `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error>
  <RequestId>2</RequestId>
</ErrorResponse>`;

beforeAll(async () => {
  api = await startStandIn((req) =>
    verifySigV4(req, SECRET)
      ? { status: 200, body: { editions: [] } }
      : {
          status: 403,
          body: { message: 'The request signature we calculated does not match the signature you provided.' },
        },
  );
  cloudFormation = await startStandIn((req) => {
    const params = new URLSearchParams(req.body.toString());
    const name = params.get('StackName') ?? '';
    return name === 'Gazette-test-Stateless'
      ? { status: 200, body: stackXml(api.url), headers: { 'content-type': 'text/xml' } }
      : { status: 400, body: missingXml(name), headers: { 'content-type': 'text/xml' } };
  });
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDSTAGETEST',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url.slice(0, -1),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  });
});

afterAll(async () => {
  process.env = saved;
  await api?.close();
  await cloudFormation?.close();
});

describe('--stage', () => {
  it('finds the editor API in the stack outputs and signs every request', async () => {
    const out = await runCli(['editions', '--stage', 'test', '--region', 'eu-west-1'], { cwd: '/' });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe("no edition yet on stage 'test': `gazette send --cadence weekly` makes one.");
    expect(cloudFormation.requests).toHaveLength(1);
    expect(new URLSearchParams(cloudFormation.requests[0]?.body.toString()).get('Action')).toBe(
      'DescribeStacks',
    );
    expect(api.requests.at(-1)?.headers.authorization).toMatch(
      /Credential=AKIDSTAGETEST\/\d{8}\/eu-west-1\/execute-api\//,
    );
  });

  it('says when there is no such stage, and where it looked', async () => {
    const out = await runCli(['editions', '--stage', 'nope', '--region', 'eu-west-1'], { cwd: '/' });
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "gazette editions: there is no stage 'nope' in eu-west-1 (no stack Gazette-nope-Stateless): check the name and --region, or deploy it with `npx cdk deploy -c gazette:stage=nope --all`",
    );
  });

  it('says when no region is set', async () => {
    const out = await runCli(['editions', '--stage', 'test'], { cwd: '/' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^gazette editions: no AWS region is set: pass --region/);
  });

  it('says when there are no credentials', async () => {
    const key = process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_ACCESS_KEY_ID;
    try {
      const out = await runCli(['editions', '--stage', 'test', '--region', 'eu-west-1'], { cwd: '/' });
      expect(out.code).toBe(1);
      expect(out.stderr).toBe(
        'gazette editions: no AWS credentials found: run `aws sso login` or set AWS_PROFILE',
      );
    } finally {
      process.env.AWS_ACCESS_KEY_ID = key;
    }
  });

  it('explains a signature AWS refuses', async () => {
    const key = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = 'a-wrong-secret';
    try {
      const out = await runCli(['editions', '--url', api.url, '--stage', 'test', '--region', 'eu-west-1'], {
        cwd: '/',
      });
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(
        /^gazette editions: AWS refused the request to stage 'test' \(403: The request signature we calculated does not match/,
      );
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = key;
    }
  });
});
