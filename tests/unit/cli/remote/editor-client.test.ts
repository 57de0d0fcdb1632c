import { afterEach, describe, expect, it } from 'vitest';
import {
  createEditorApiSigner,
  MissingCredentialsError,
  userCredentials,
} from '../../../../adapters/aws/editor-api-signer.js';
import { EditorClient } from '../../../../cli/remote/editor-client.js';
import type { EditorTarget } from '../../../../cli/remote/editor-target.js';
import {
  EditorAuthError,
  EditorNotFoundError,
  EditorRequestError,
  EditorServerError,
  EditorUnreachableError,
  LocalStackNotRunningError,
} from '../../../../cli/remote/remote-errors.js';
import { closedPort, type StandIn, startStandIn, verifySigV4 } from './http-stand-in.js';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const local = (url: string): EditorTarget => ({
  kind: 'local',
  baseUrl: url,
  token: 'local-token',
  stateDir: '/state',
});

describe('EditorClient errors', () => {
  it('says what to do for 401, 404, other 4xx and 5xx, keeping the server message', async () => {
    const answers: Record<string, { status: number; body?: unknown }> = {
      '/editor/editions/auth': {
        status: 401,
        body: { ok: false, error: 'authorization: the editor token is not valid', field: 'authorization' },
      },
      '/editor/editions/x': {
        status: 404,
        body: { ok: false, error: 'id: there is no edition with this id', field: 'id' },
      },
      '/editor/editions': {
        status: 422,
        body: { ok: false, error: 'nothing was published since the last edition', field: 'cadence' },
      },
      '/editor/editions/boom': {
        status: 500,
        body: { ok: false, error: 'internal error; it has been logged' },
      },
      '/editor/editions/html': { status: 200, body: '<html>not json</html>' },
    };
    standIn = await startStandIn((req) => answers[req.url.split('?')[0] ?? ''] ?? { status: 418 });
    const client = new EditorClient(local(standIn.url));

    const auth = await client.json('GET', 'editor/editions/auth').catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(EditorAuthError);
    expect((auth as EditorAuthError).userMessage).toBe(
      'the local stack refused the editor token (401: authorization: the editor token is not valid): restart it with `npm start` so that /state/local.json is current',
    );

    const missing = await client
      .json('GET', 'editor/editions/x', { notFound: "no edition 'x'; `gazette editions` lists them" })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EditorNotFoundError);
    expect((missing as EditorNotFoundError).userMessage).toBe(
      "no edition 'x'; `gazette editions` lists them",
    );

    const refused = await client
      .json('POST', 'editor/editions', { body: { cadence: 'weekly' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EditorRequestError);
    expect((refused as EditorRequestError).userMessage).toBe(
      'the local stack refused the request (422): nothing was published since the last edition',
    );
    expect((refused as EditorRequestError).field).toBe('cadence');

    const failed = await client.json('GET', 'editor/editions/boom').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(EditorServerError);
    expect((failed as EditorServerError).userMessage).toMatch(
      /failed \(500: internal error; it has been logged\); its logs say more \(the terminal running `npm start`\)/,
    );

    const notJson = await client.json('GET', 'editor/editions/html').catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(EditorServerError);

    expect(standIn.requests[0]?.headers.authorization).toBe('Bearer local-token');
    expect(standIn.requests[2]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(standIn.requests[2]?.body.toString() ?? '')).toEqual({ cadence: 'weekly' });
  });

  it('tells an unreachable local stack from an unreachable stage', async () => {
    const port = await closedPort();
    const down = await new EditorClient(local(`http://127.0.0.1:${port}/`))
      .json('GET', 'editor/editions')
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(LocalStackNotRunningError);
    expect((down as LocalStackNotRunningError).userMessage).toBe(
      `the local stack is not running (nothing answers at http://127.0.0.1:${port}/: connection refused): start it with \`npm start\``,
    );
    const stage = new EditorClient({
      kind: 'stage',
      stage: 'prod',
      baseUrl: `http://127.0.0.1:${port}/`,
      sign: async () => ({}),
    });
    const unreachable = await stage.json('GET', 'editor/editions').catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(EditorUnreachableError);
    expect((unreachable as EditorUnreachableError).userMessage).toMatch(
      /^cannot reach the editor API of stage 'prod' at http:\/\/127\.0\.0\.1:\d+ \(connection refused\): check your network/,
    );
  });

  it('explains a 403 from a stage in terms of IAM', async () => {
    standIn = await startStandIn(() => ({ status: 403, body: { message: 'Forbidden' } }));
    const client = new EditorClient({
      kind: 'stage',
      stage: 'prod',
      baseUrl: standIn.url,
      sign: async () => ({}),
    });
    const error = await client.json('GET', 'editor/editions').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditorAuthError);
    expect((error as EditorAuthError).userMessage).toMatch(
      /^AWS refused the request to stage 'prod' \(403: Forbidden\): your AWS identity needs execute-api:Invoke/,
    );
  });
});

describe('SigV4 signing for a stage', () => {
  it('signs method, path, query, host and body so that the signature verifies, with the session token', async () => {
    standIn = await startStandIn(() => ({ status: 200, body: { ok: true } }));
    const sign = createEditorApiSigner({ region: 'eu-west-1', credentials: async () => CREDENTIALS });
    const client = new EditorClient({ kind: 'stage', stage: 'prod', baseUrl: standIn.url, sign });
    await client.json('GET', 'editor/editions?limit=20&b=x%20y');
    await client.json('POST', 'editor/api/subscribers/import?consented=1', {
      body: 'email\na@example.org\n',
      contentType: 'text/csv',
    });
    for (const req of standIn.requests) {
      expect(req.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
      );
      expect(req.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(req.headers['x-amz-security-token']).toBe('session-token-example');
      expect(verifySigV4(req, CREDENTIALS.secretAccessKey)).toBe(true);
      // A changed byte breaks it: the check above is not vacuous.
      expect(
        verifySigV4(
          { ...req, body: Buffer.concat([req.body, Buffer.from('x')]) },
          CREDENTIALS.secretAccessKey,
        ),
      ).toBe(false);
      expect(
        verifySigV4({ ...req, method: req.method === 'GET' ? 'DELETE' : 'GET' }, CREDENTIALS.secretAccessKey),
      ).toBe(false);
    }
  });

  it('turns missing credentials into the sentence that says what to do', async () => {
    const saved = { ...process.env };
    try {
      for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      process.env.AWS_CONFIG_FILE = '/nonexistent/config';
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
      const error = await userCredentials()().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingCredentialsError);
      expect((error as MissingCredentialsError).userMessage).toBe(
        'no AWS credentials found: run `aws sso login` or set AWS_PROFILE',
      );
    } finally {
      process.env = saved;
    }
  });
});
