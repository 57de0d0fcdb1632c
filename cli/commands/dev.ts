import { resolve } from 'node:path';
import { PortInUseError, StateDirInUseError } from '../../adapters/local/emulators.js';
import { type Command, UsageError } from '../command.js';
import { startLocalStack, WebPortInUseError } from '../dev/start-local-stack.js';
import { parseOptions, stringOption } from '../parse-options.js';

export const devCommand: Command = {
  name: 'dev',
  help: `Usage: gazette dev [--port N] [--fresh] [--state DIR] [--no-watch]

Starts the local stack on 127.0.0.1: DynamoDB, S3 and SES emulators, the site published
into the local bucket, the web app (subscribe, confirm, preferences, unsubscribe), and a
local outbox holding every mail sent. Content and templates are watched and republished
on change. The send queue runs in-process and the digest schedules of publication.yaml run
on a cron in the publication's time zone. State persists in .gazette/ (git-ignored). Ctrl-C stops everything.

Options:
  --port N       web port (default: $PORT or 3000)
  --fresh        start from empty state (deletes the state folder first)
  --state DIR    state folder (default: .gazette)
  --no-watch     do not watch content/ and templates/`,

  async run(args, io) {
    const { values } = parseOptions('dev', args, {
      port: { type: 'string' },
      fresh: { type: 'boolean' },
      state: { type: 'string' },
      'no-watch': { type: 'boolean' },
    });
    const portText = stringOption(values, 'port') ?? io.env.PORT ?? '3000';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new UsageError(`--port must be a TCP port between 1 and 65535, not "${portText}"`, 'dev');
    }
    const started = performance.now();
    let stack: Awaited<ReturnType<typeof startLocalStack>>;
    try {
      stack = await startLocalStack({
        root: io.cwd,
        stateDir: resolve(io.cwd, stringOption(values, 'state', '.gazette')),
        port,
        fresh: values.fresh === true,
        watch: values['no-watch'] !== true,
        clock: { now: io.now },
        log: io.stdout,
      });
    } catch (error) {
      if (
        error instanceof WebPortInUseError ||
        error instanceof PortInUseError ||
        error instanceof StateDirInUseError
      ) {
        io.stderr(`gazette dev: ${error.message}`);
        return 1;
      }
      throw error;
    }
    const url = stack.baseUrl;
    io.stdout(
      [
        `Gazette is running locally (started in ${Math.round(performance.now() - started)} ms):`,
        `  archive      ${url}`,
        `  feeds        ${url}feed.xml  ${url}atom.xml  ${url}feed.json`,
        `  subscribe    ${url}subscribe`,
        `  outbox       ${url}_local/outbox  (every mail sent locally; JSON at ${url}_local/outbox.json)`,
        `  console      ${url}editor?token=${encodeURIComponent(stack.editorToken)}  (signs you in; keep it to yourself)`,
        `  editor API   ${url}editor/editions  (Authorization: Bearer ${stack.editorToken})`,
        ...stack.delivery
          .nextRuns()
          .slice(0, 3)
          .map((run) => `  next run     ${run.job} at ${run.at.toISOString()} (${run.timeZone})`),
        `  emulators    DynamoDB ${stack.endpoints.dynamodb}  S3 ${stack.endpoints.s3}  SES ${stack.endpoints.ses}`,
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );
    await io.interrupted;
    io.stdout('stopping…');
    await stack.stop();
    io.stdout('stopped.');
    return 0;
  },
};
