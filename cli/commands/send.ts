import type { PreviewResult } from '../../core/editions/preview-edition.js';
import { MAX_TEST_RECIPIENTS } from '../../core/editions/send-test.js';
import type { SubscriberCounts } from '../../core/subscribers-admin/count-subscribers.js';
import { type CliIo, type Command, UsageError } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { connectEditor, EDITOR_OPTIONS, EDITOR_OPTIONS_HELP } from '../remote/connect-editor.js';
import { editionRequestOf, requestQuery } from '../remote/edition-request.js';
import { EditorClient } from '../remote/editor-client.js';
import { describeTarget } from '../remote/editor-target.js';
import { followProgress, progressLine } from '../remote/follow-progress.js';

interface Created {
  ok: true;
  editionId: string;
  created: boolean;
  state: string;
  posts: string[];
}

interface TestResult {
  ok: true;
  editionId?: string;
  sent: Array<{ to: string; messageId: string }>;
  failed: Array<{ to: string; reason: string }>;
}

export const sendCommand: Command = {
  name: 'send',
  help: `Usage: gazette send (--cadence daily|weekly | --post SLUG) [--test ADDR …] [--dry-run] [--detach] [where]

Shows the edition that would go now (its id, subject, posts and audience), then sends it to
every active subscriber of the cadence (a post's edition goes to immediate subscribers) and
shows its progress until every delivery has an outcome: planned, sent, failed, unknown,
skipped. Sending is idempotent: sending an edition again finds it and mails nobody twice.
Ctrl-C stops watching, not sending; \`gazette editions ID\` shows progress later.

Options:
  --cadence C      the daily or weekly digest of the posts since the last one
  --post SLUG      the edition of one published post
  --test ADDR      send a copy to this address only, subject prefixed [TEST] (repeat, up to ${MAX_TEST_RECIPIENTS})
  --dry-run        show the edition and its audience; send nothing
  --detach         start sending and return at once

${EDITOR_OPTIONS_HELP}

Examples:
  gazette send --cadence weekly --dry-run
  gazette send --cadence weekly --test me@example.org
  gazette send --post my-new-post --stage prod`,

  async run(args, io) {
    const { values } = parseOptions('send', args, {
      ...EDITOR_OPTIONS,
      cadence: { type: 'string' },
      post: { type: 'string' },
      test: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      detach: { type: 'boolean' },
    });
    const request = editionRequestOf('send', values, { required: true });
    const tests = (values.test as string[] | undefined) ?? [];
    if (tests.length > MAX_TEST_RECIPIENTS) {
      throw new UsageError(`--test takes at most ${MAX_TEST_RECIPIENTS} addresses`, 'send');
    }
    if (tests.length > 0 && values.detach === true) {
      throw new UsageError('--test sends at once: --detach does not go with it', 'send');
    }
    const client = new EditorClient(await connectEditor('send', values, io));

    const preview = await client.json<Extract<PreviewResult, { ok: true }>>(
      'GET',
      `editor/editions/preview?${requestQuery(request)}`,
      { notFound: notFound(request) },
    );
    const counts = await client.json<SubscriberCounts>('GET', 'editor/api/subscribers/count');
    const cadence = 'post' in request ? 'immediate' : request.cadence;
    const audience = counts.byStatus.active.byCadence[cadence];
    io.stdout(
      [
        `${preview.editionId} on ${describeTarget(client.target)}${preview.exists ? ' (already made: sending finds it, nobody gets it twice)' : ''}`,
        `  subject   ${preview.subject}`,
        `  posts     ${preview.posts.join(', ')}`,
        `  audience  ${audience} active ${cadence} subscriber${audience === 1 ? '' : 's'} (those following topics get the matching posts only)`,
      ].join('\n'),
    );

    if (values['dry-run'] === true) {
      io.stdout(`dry run: nothing sent. \`gazette preview ${flagOf(request)}\` writes its HTML and text.`);
      return 0;
    }
    if (tests.length > 0) return sendTest(client, request, tests, io);

    const created = await client.json<Created>('POST', 'editor/editions', { body: request });
    io.stdout(
      created.created
        ? `${created.editionId}: created, sending…`
        : `${created.editionId}: existed already (${created.state}); nothing is sent twice`,
    );
    if (values.detach === true) {
      io.stdout(`sending in the background; \`gazette editions ${created.editionId}\` shows its progress.`);
      return 0;
    }
    const { progress, interrupted } = await followProgress(client, created.editionId, io);
    if (interrupted) {
      io.stdout(`still sending; \`gazette editions ${created.editionId}\` shows its progress.`);
      return 0;
    }
    io.stdout(`done: ${progressLine(progress)}`);
    if (progress.failed + progress.unknown + progress.deadLettered > 0) {
      io.stderr(
        `${progress.failed} failed, ${progress.unknown} unknown, ${progress.deadLettered} dead-lettered: \`gazette editions ${progress.editionId}\` and the send function's logs say more.`,
      );
    }
    return 0;
  },
};

async function sendTest(
  client: EditorClient,
  request: { cadence: string } | { post: string },
  to: string[],
  io: CliIo,
): Promise<number> {
  const result = await client.json<TestResult>('POST', 'editor/api/editions/test', {
    body: { ...request, to },
  });
  for (const s of result.sent) io.stdout(`test sent to ${s.to} (${s.messageId})`);
  for (const f of result.failed) io.stderr(`test not sent to ${f.to}: ${f.reason}`);
  return result.failed.length > 0 ? 1 : 0;
}

function notFound(request: { cadence: string } | { post: string }): string {
  return 'post' in request
    ? `no published post '${request.post}': \`gazette build\` lists what is published`
    : `the ${request.cadence} digest is not known here`;
}

function flagOf(request: { cadence: string } | { post: string }): string {
  return 'post' in request ? `--post ${request.post}` : `--cadence ${request.cadence}`;
}
