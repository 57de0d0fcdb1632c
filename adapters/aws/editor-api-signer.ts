/**
 * SigV4 for the editor API of a deployed stage: API Gateway's IAM authorizer lets a request in
 * when it is signed (service `execute-api`) by a principal allowed to invoke the route. The
 * credentials come from the user's usual AWS setup (environment, profile, SSO, process, web
 * identity, container or instance role), as the AWS CLI finds them.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** AWS credentials as the SDK's providers give them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

export type CredentialsProvider = () => Promise<AwsCredentials>;

/** One request to sign. */
export interface RequestToSign {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

/** Returns the headers to add to the request (Authorization, X-Amz-Date, X-Amz-Security-Token…). */
export type RequestSigner = (request: RequestToSign) => Promise<Record<string, string>>;

/** No AWS credentials anywhere the SDK looks; `userMessage` says what to do (the CLI prints it). */
export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
  readonly userMessage = 'no AWS credentials found: run `aws sso login` or set AWS_PROFILE';
  constructor(options?: { cause?: unknown }) {
    super('no AWS credentials found: run `aws sso login` or set AWS_PROFILE', options);
  }
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    if (typeof data === 'string') this.hash.update(data, 'utf8');
    else if (ArrayBuffer.isView(data))
      this.hash.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    else this.hash.update(Buffer.from(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** The region of an `execute-api` URL (`abc123.execute-api.eu-west-1.amazonaws.com`), if it is one. */
export function regionOfApiUrl(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(new URL(url).hostname)?.[1];
}

/** The user's credentials, the AWS CLI's way; `profile` overrides AWS_PROFILE. */
export function userCredentials(options: { profile?: string | undefined } = {}): CredentialsProvider {
  const provider = defaultProvider(options.profile ? { profile: options.profile } : {});
  return async () => {
    try {
      return await provider();
    } catch (error) {
      if (error instanceof Error && error.name === 'CredentialsProviderError') {
        throw new MissingCredentialsError({ cause: error });
      }
      throw error;
    }
  };
}

/**
 * A RequestSigner for one region: signs method, path, query, the `host` header and the body's
 * SHA-256 with the credentials the provider gives (they are asked each time; providers cache
 * and refresh them).
 */
export function createEditorApiSigner(options: {
  region: string;
  credentials: CredentialsProvider;
}): RequestSigner {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: true,
  });
  return async ({ method, url, headers, body }) => {
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const existing = query[name];
      query[name] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      body,
    });
    // `host` is set by fetch itself from the URL; sending it twice would be an error.
    const { host: _host, ...out } = signed.headers as Record<string, string>;
    return out;
  };
}
