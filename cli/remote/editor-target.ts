/** One request as the signer sees it: what SigV4 covers. */
export interface SignableRequest {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

/** Signs a request: returns the headers to add (Authorization, X-Amz-Date, …). */
export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

/**
 * Where the editor API is and how to authenticate to it: the local stack (a bearer token from
 * its `local.json`) or a deployed stage (requests signed with SigV4 from the user's AWS
 * credentials, authorized by API Gateway's IAM authorizer).
 */
export type EditorTarget =
  | {
      kind: 'local';
      /** `http://127.0.0.1:PORT/`. */
      baseUrl: string;
      token: string;
      /** The state folder the runtime file was read from (for messages). */
      stateDir: string;
    }
  | {
      kind: 'stage';
      /** The stage's editor API URL (`EditorApiUrl` output), ending with `/`. */
      baseUrl: string;
      stage: string;
      sign: RequestSigner;
    };

/** "the local stack" or "stage 'prod'", for sentences. */
export function describeTarget(target: EditorTarget): string {
  return target.kind === 'local' ? 'the local stack' : `stage '${target.stage}'`;
}
