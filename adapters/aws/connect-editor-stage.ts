/**
 * Reaching the editor API of a deployed stage: its URL (given, or the stack's `EditorApiUrl`
 * output) and a SigV4 signer with the user's credentials. The CLI loads this module only when a
 * stage is asked for, so local commands never load the AWS SDK.
 */
import {
  createEditorApiSigner,
  type RequestSigner,
  regionOfApiUrl,
  userCredentials,
} from './editor-api-signer.js';
import { findEditorApiUrl, StageLookupError } from './find-editor-api-url.js';

export async function connectEditorStage(input: {
  stage: string;
  url?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  env: Record<string, string | undefined>;
}): Promise<{ baseUrl: string; sign: RequestSigner }> {
  const { stage, url, env } = input;
  const credentials = userCredentials({ profile: input.profile });
  let baseUrl: string;
  let region =
    input.region ?? (url ? regionOfApiUrl(url) : undefined) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (url) {
    baseUrl = url.endsWith('/') ? url : `${url}/`;
  } else {
    const found = await findEditorApiUrl({ stage, region, credentials });
    baseUrl = found.url;
    region = regionOfApiUrl(found.url) ?? found.region;
  }
  if (!region) {
    throw new StageLookupError(
      `the region of ${baseUrl} is unknown (it is not an execute-api URL): pass --region or set AWS_REGION`,
    );
  }
  return { baseUrl, sign: createEditorApiSigner({ region, credentials }) };
}
