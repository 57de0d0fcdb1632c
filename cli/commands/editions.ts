import type { EditionProgress } from '../../core/edition.js';
import { type Command, UsageError } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';
import { connectEditor, EDITOR_OPTIONS, EDITOR_OPTIONS_HELP } from '../remote/connect-editor.js';
import { EditorClient } from '../remote/editor-client.js';
import { describeTarget } from '../remote/editor-target.js';
import { followProgress, progressLine } from '../remote/follow-progress.js';

interface Listed {
  id: string;
  state: string;
  createdAt?: string;
  subject?: string;
  progress: EditionProgress;
}

const EDITION_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

export const editionsCommand: Command = {
  name: 'editions',
  help: `Usage: gazette editions [ID] [--limit N] [--watch | --pause | --resume] [where]

Without ID: the newest editions, newest first, with their state and counts.
With ID: that edition's progress (planned, sent, failed, unknown, skipped, queued, sending,
dead-lettered), once, or followed until done with --watch.

Options:
  --limit N   how many editions to list (1-100, default 20)
  --watch     follow the edition's progress until it is done (Ctrl-C stops watching)
  --pause     pause the edition: nothing new is sent until it is resumed
  --resume    resume a paused edition

${EDITOR_OPTIONS_HELP}

Examples:
  gazette editions
  gazette editions weekly-2026-W48 --watch
  gazette editions post-my-new-post --pause --stage prod`,

  async run(args, io) {
    const { values, positionals } = parseOptions(
      'editions',
      args,
      {
        ...EDITOR_OPTIONS,
        limit: { type: 'string' },
        watch: { type: 'boolean' },
        pause: { type: 'boolean' },
        resume: { type: 'boolean' },
      },
      true,
    );
    if (positionals.length > 1) throw new UsageError('give at most one edition id', 'editions');
    const id = positionals[0];
    if (id !== undefined && !EDITION_ID.test(id)) {
      throw new UsageError(
        `"${id}" is not an edition id (such as weekly-2026-W48, daily-2026-11-27, post-<slug>)`,
        'editions',
      );
    }
    const actions = (['watch', 'pause', 'resume'] as const).filter((a) => values[a] === true);
    if (actions.length > 1)
      throw new UsageError(`--${actions.join(' and --')} do not go together`, 'editions');
    if (actions.length > 0 && id === undefined) {
      throw new UsageError(
        `--${actions[0]} needs an edition id: \`gazette editions\` lists them`,
        'editions',
      );
    }
    const limitText = stringOption(values, 'limit', '20');
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) {
      throw new UsageError(`--limit must be a whole number from 1 to 100, not "${limitText}"`, 'editions');
    }

    const client = new EditorClient(await connectEditor('editions', values, io));
    if (id === undefined) {
      const { editions } = await client.json<{ editions: Listed[] }>('GET', `editor/editions?limit=${limit}`);
      if (editions.length === 0) {
        io.stdout(
          `no edition yet on ${describeTarget(client.target)}: \`gazette send --cadence weekly\` makes one.`,
        );
        return 0;
      }
      const width = Math.max(...editions.map((e) => e.id.length));
      io.stdout(
        `${'EDITION'.padEnd(width)}  ${'STATE'.padEnd(7)}  CREATED           PLANNED  SENT  FAILED  UNKNOWN  SKIPPED  SUBJECT`,
      );
      for (const e of editions) {
        const p = e.progress;
        io.stdout(
          [
            e.id.padEnd(width),
            e.state.padEnd(7),
            (e.createdAt ?? '').slice(0, 16).replace('T', ' ').padEnd(16),
            String(p.planned).padStart(7),
            String(p.sent).padStart(5),
            String(p.failed).padStart(6),
            String(p.unknown).padStart(7),
            String(p.skipped).padStart(7),
            e.subject ?? '',
          ].join('  '),
        );
      }
      return 0;
    }

    const notFound = `no edition '${id}' on ${describeTarget(client.target)}; \`gazette editions\` lists them`;
    const path = `editor/editions/${encodeURIComponent(id)}`;
    if (values.pause === true || values.resume === true) {
      const action = values.pause === true ? 'pause' : 'resume';
      const result = await client.json<{ state: string }>('POST', `${path}/${action}`, { notFound });
      io.stdout(`${id}: ${result.state}`);
      return 0;
    }
    if (values.watch === true) {
      const { progress, interrupted } = await followProgress(client, id, io, { notFound });
      if (!interrupted) io.stdout(`done: ${progressLine(progress)}`);
      return 0;
    }
    const p = await client.json<EditionProgress>('GET', path, { notFound });
    io.stdout(
      [
        `${p.editionId}: ${p.state}${p.fanOutComplete ? '' : ' (still finding recipients)'}`,
        `  ${progressLine(p)}`,
        `  planned ${p.planned} · sent ${p.sent} · failed ${p.failed} · unknown ${p.unknown} · skipped ${p.skipped}`,
        `  queued ${p.queued} · sending ${p.sending} · dead-lettered ${p.deadLettered}`,
      ].join('\n'),
    );
    return 0;
  },
};
