import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { CADENCES } from '../../core/model.js';
import { SUBSCRIBER_STATUSES, type Subscriber } from '../../core/subscriber.js';
import type { SubscriberCounts } from '../../core/subscribers-admin/count-subscribers.js';
import type { AddedRow, SkippedRow } from '../../core/subscribers-admin/import-subscribers.js';
import type { RejectedRow } from '../../core/subscribers-admin/parse-import.js';
import { type CliIo, type Command, UsageError } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';
import { connectEditor, EDITOR_OPTIONS, EDITOR_OPTIONS_HELP } from '../remote/connect-editor.js';
import { EditorClient } from '../remote/editor-client.js';
import { describeTarget } from '../remote/editor-target.js';
import { EditorApiError } from '../remote/remote-errors.js';
import { splitImport } from '../remote/split-import.js';

interface ImportAnswer {
  ignoredColumns: string[];
  added: AddedRow[];
  skipped: SkippedRow[];
  rejected: RejectedRow[];
}

/** Skipped rows printed one by one; the rest are counted. */
const SKIPPED_SHOWN = 20;

export const subscribersCommand: Command = {
  name: 'subscribers',
  help: `Usage: gazette subscribers <import FILE.csv [--consented] | export [--out FILE] | count | find TEXT> [where]

  import FILE.csv   adds the addresses in a CSV file: a header naming the columns email
                    (required), cadence and topics (topics separated by ; or |), one
                    subscriber per line. Every line is checked; each bad one is reported
                    with its line number and the reason. New addresses become pending and
                    get a confirmation mail, unless --consented. Addresses the list knows
                    already keep their state (unsubscribed and suppressed ones are never
                    brought back). Long files are sent in parts.
    --consented     you state these people already agreed to get this publication: they
                    become active without a confirmation mail, and their consent record
                    says so (form "import", importedConsent true)
  export            every subscriber as CSV (address, choices, status, consent record) to
                    stdout, or to --out FILE
  count             subscribers by status and cadence
  find TEXT         subscribers whose address contains TEXT (or that address exactly)

${EDITOR_OPTIONS_HELP}

Examples:
  gazette subscribers import list.csv
  gazette subscribers export --out subscribers.csv --stage prod
  gazette subscribers count`,

  async run(args, io) {
    const { values, positionals } = parseOptions(
      'subscribers',
      args,
      { ...EDITOR_OPTIONS, consented: { type: 'boolean' }, out: { type: 'string' } },
      true,
    );
    const [action, ...rest] = positionals;
    const wants = (n: number, usage: string) => {
      if (rest.length !== n) throw new UsageError(`usage: gazette subscribers ${usage}`, 'subscribers');
    };
    if (values.consented === true && action !== 'import') {
      throw new UsageError('--consented goes with import only', 'subscribers');
    }
    if (values.out !== undefined && action !== 'export') {
      throw new UsageError('--out goes with export only', 'subscribers');
    }
    switch (action) {
      case 'import': {
        wants(1, 'import FILE.csv [--consented]');
        const file = resolve(io.cwd, rest[0] as string);
        const text = await readCsvFile(file);
        const client = new EditorClient(await connectEditor('subscribers', values, io));
        return importFile(client, text, values.consented === true, io);
      }
      case 'export': {
        wants(0, 'export [--out FILE]');
        const client = new EditorClient(await connectEditor('subscribers', values, io));
        const response = await client.request('GET', 'editor/api/subscribers/export', {
          accept: 'text/csv',
          timeoutMs: 300_000,
        });
        const csv = await response.text();
        const count = Math.max(0, csv.split('\r\n').filter((l) => l !== '').length - 1);
        const out = stringOption(values, 'out');
        if (out === undefined) {
          if (io.write) io.write(csv);
          else io.stdout(csv.replace(/\r\n$/, ''));
          io.stderr(
            `${count} subscriber${count === 1 ? '' : 's'} exported from ${describeTarget(client.target)}`,
          );
        } else {
          const path = resolve(io.cwd, out);
          await writeFile(path, csv, { mode: 0o600 });
          io.stdout(
            `wrote ${relative(io.cwd, path)}: ${count} subscriber${count === 1 ? '' : 's'} from ${describeTarget(client.target)}`,
          );
        }
        return 0;
      }
      case 'count': {
        wants(0, 'count');
        const client = new EditorClient(await connectEditor('subscribers', values, io));
        const counts = await client.json<SubscriberCounts>('GET', 'editor/api/subscribers/count');
        printCounts(counts, io);
        return 0;
      }
      case 'find': {
        wants(1, 'find TEXT');
        const client = new EditorClient(await connectEditor('subscribers', values, io));
        const found = await client.json<{
          subscribers: Subscriber[];
          truncated: boolean;
          suppression?: { reason: string; at: string };
        }>('GET', `editor/api/subscribers?q=${encodeURIComponent(rest[0] as string)}`);
        if (found.suppression) {
          io.stdout(
            `on the suppression list: ${found.suppression.reason} since ${found.suppression.at} (never mailed)`,
          );
        }
        if (found.subscribers.length === 0) io.stdout('no subscriber found');
        for (const s of found.subscribers) {
          io.stdout(
            `${s.email}  ${s.status}  ${s.cadence}  topics: ${s.topics.length > 0 ? s.topics.join(', ') : 'all'}  since ${s.createdAt.slice(0, 10)}  consent: ${s.consent.form}${s.consent.importedConsent ? ' (stated at import)' : ''}`,
          );
        }
        if (found.truncated) io.stdout('… more match: give more of the address');
        return 0;
      }
      case undefined:
        throw new UsageError('say what to do: import, export, count or find', 'subscribers');
      default:
        throw new UsageError(`unknown action '${action}': import, export, count or find`, 'subscribers');
    }
  },
};

async function readCsvFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EditorApiError(
      code === 'ENOENT' ? `there is no file ${file}` : `cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new EditorApiError(`${file} is not UTF-8 text: save it as "CSV UTF-8" and import it again`, {
      cause: error,
    });
  }
}

async function importFile(
  client: EditorClient,
  text: string,
  consented: boolean,
  io: CliIo,
): Promise<number> {
  const { parts, duplicates } = splitImport(text);
  const total: ImportAnswer = { ignoredColumns: [], added: [], skipped: [], rejected: [...duplicates] };
  for (const part of parts) {
    const answer = await client.json<ImportAnswer>(
      'POST',
      `editor/api/subscribers/import?consented=${consented ? 1 : 0}&lineOffset=${part.lineOffset}`,
      { body: part.csv, contentType: 'text/csv; charset=utf-8', timeoutMs: 120_000 },
    );
    total.ignoredColumns = answer.ignoredColumns;
    total.added.push(...answer.added);
    total.skipped.push(...answer.skipped);
    total.rejected.push(...answer.rejected);
    if (parts.length > 1) {
      io.stdout(
        `lines ${part.firstLine}-${part.lastLine}: ${answer.added.length} added, ${answer.skipped.length} skipped, ${answer.rejected.length} rejected`,
      );
    }
  }
  total.rejected.sort((a, b) => a.row - b.row);
  const mailed = total.added.filter((a) => a.confirmation === 'sent').length;
  const mailFailed = total.added.filter((a) => a.confirmation === 'failed');
  io.stdout(
    `${total.added.length} added${consented ? ' as active (consent stated)' : ` as pending (${mailed} confirmation mail${mailed === 1 ? '' : 's'} sent)`}, ${total.skipped.length} skipped, ${total.rejected.length} rejected, on ${describeTarget(client.target)}`,
  );
  if (total.ignoredColumns.length > 0) io.stdout(`columns not read: ${total.ignoredColumns.join(', ')}`);
  for (const s of total.skipped.slice(0, SKIPPED_SHOWN))
    io.stdout(`  line ${s.row}: ${s.email}: ${s.reason}`);
  if (total.skipped.length > SKIPPED_SHOWN)
    io.stdout(`  … and ${total.skipped.length - SKIPPED_SHOWN} more skipped`);
  for (const f of mailFailed)
    io.stderr(
      `line ${f.row}: ${f.email}: added as pending, but the confirmation mail failed (${f.problem ?? 'no reason'}); import the file again later`,
    );
  for (const r of total.rejected) io.stderr(`line ${r.row}: ${r.reason}`);
  if (total.rejected.length > 0) {
    io.stderr(
      `${total.rejected.length} line${total.rejected.length === 1 ? '' : 's'} rejected: fix ${total.rejected.length === 1 ? 'it' : 'them'} and import the file again (rows already imported are skipped)`,
    );
  }
  return total.rejected.length > 0 || mailFailed.length > 0 ? 1 : 0;
}

function printCounts(counts: SubscriberCounts, io: CliIo): void {
  const col = 11;
  io.stdout(
    `${'STATUS'.padEnd(13)}${CADENCES.map((c) => c.toUpperCase().padStart(col)).join('')}${'ALL'.padStart(col)}`,
  );
  for (const status of SUBSCRIBER_STATUSES) {
    const row = counts.byStatus[status];
    io.stdout(
      `${status.padEnd(13)}${CADENCES.map((c) => String(row.byCadence[c]).padStart(col)).join('')}${String(row.total).padStart(col)}`,
    );
  }
  io.stdout(
    `${'all'.padEnd(13)}${CADENCES.map((c) => String(SUBSCRIBER_STATUSES.reduce((n, s) => n + counts.byStatus[s].byCadence[c], 0)).padStart(col)).join('')}${String(counts.total).padStart(col)}`,
  );
}
