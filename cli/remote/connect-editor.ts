import { resolve } from 'node:path';
import { type CliIo, UsageError } from '../command.js';
import { stringOption } from '../parse-options.js';
import type { EditorTarget, RequestSigner } from './editor-target.js';
import { readLocalRuntime } from './local-runtime.js';

/** The options every command that talks to the editor API takes (node:util parseArgs form). */
export const EDITOR_OPTIONS = {
  stage: { type: 'string' },
  url: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  state: { type: 'string' },
} as const;

/** Their help text, for each command's `--help`. */
export const EDITOR_OPTIONS_HELP = `Where (the local stack by default, while \`npm start\` runs):
  --stage NAME     a deployed stage: its editor API URL is read from the stack's
                   EditorApiUrl output, requests are signed with your AWS credentials
  --url URL        the editor API URL itself (with --stage, skips the lookup)
  --region R       AWS region of the stage (default: AWS_REGION or your profile's)
  --profile P      AWS profile (default: AWS_PROFILE, then the default profile)
  --state DIR      the local stack's state folder (default: .gazette)`;

/** How a stage is reached: given a stage (and maybe a URL and region), its URL and a signer. */
export type StageConnector = (input: {
  stage: string;
  url?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  env: Record<string, string | undefined>;
}) => Promise<{ baseUrl: string; sign: RequestSigner }>;

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * The editor API the options point at: a stage (`--stage`, `--url`), else the local stack whose
 * state folder holds a live `local.json`. `connectStage` is the AWS side (adapters/aws),
 * loaded only when a stage is asked for, so local commands never load the AWS SDK.
 */
export async function connectEditor(
  command: string,
  values: Record<string, unknown>,
  io: CliIo,
  connectStage?: StageConnector,
): Promise<EditorTarget> {
  const stage = stringOption(values, 'stage');
  const url = stringOption(values, 'url');
  if (stage !== undefined || url !== undefined) {
    if (stage !== undefined && !STAGE_NAME.test(stage)) {
      throw new UsageError(
        `--stage must be a stage name (lower-case letters, digits and dashes, starting with a letter), not "${stage}"`,
        command,
      );
    }
    if (url !== undefined) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new UsageError(
          `--url must be an absolute URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/, not "${url}"`,
          command,
        );
      }
      if (parsed.protocol !== 'https:' && parsed.hostname !== '127.0.0.1') {
        throw new UsageError('--url must use https (signed requests are not sent in the clear)', command);
      }
    }
    const connect =
      connectStage ?? (await import('../../adapters/aws/connect-editor-stage.js')).connectEditorStage;
    const { baseUrl, sign } = await connect({
      stage: stage ?? new URL(url as string).hostname,
      url,
      region: stringOption(values, 'region'),
      profile: stringOption(values, 'profile'),
      env: io.env,
    });
    return { kind: 'stage', baseUrl, stage: stage ?? new URL(baseUrl).hostname, sign };
  }
  const stateDir = resolve(io.cwd, stringOption(values, 'state', '.gazette'));
  const runtime = await readLocalRuntime(stateDir);
  return { kind: 'local', baseUrl: runtime.url, token: runtime.editorToken, stateDir };
}
