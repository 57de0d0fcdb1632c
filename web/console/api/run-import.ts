import { type ImportReport, importSubscribers } from '../../../core/subscribers-admin/import-subscribers.js';
import { MAX_IMPORT_BYTES, parseImport } from '../../../core/subscribers-admin/parse-import.js';
import type { AppContext } from '../../app-context.js';

export type ImportOutcome =
  | { ok: true; report: ImportReport; ignoredColumns: string[]; header: boolean }
  | { ok: false; status: 400 | 413; problem: string };

/**
 * One import, as the console's upload and the API's CSV body both run it: the bytes must be
 * UTF-8 text within the size cap; then every row is validated against the publication's
 * cadences and topics, and the valid ones are added (see importSubscribers).
 */
export async function runImport(
  ctx: AppContext,
  bytes: ArrayBuffer | Uint8Array,
  options: { consented: boolean; lineOffset: number },
): Promise<ImportOutcome> {
  const size = bytes.byteLength;
  if (size > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      status: 413,
      problem: `the file is ${size.toLocaleString('en')} bytes; one import takes at most ${MAX_IMPORT_BYTES.toLocaleString('en')} (use \`gazette subscribers import\`, which sends it in parts)`,
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      status: 400,
      problem: 'the file is not UTF-8 text: save it as "CSV UTF-8" and import it again',
    };
  }
  const parsed = parseImport(text, {
    cadences: ctx.cadences,
    defaultCadence: ctx.defaultCadence,
    knownTopics: await ctx.topics(),
    lineOffset: options.lineOffset,
  });
  if (!parsed.ok) return { ok: false, status: 400, problem: parsed.problem };
  const report = await importSubscribers(ctx.subscription, parsed.rows, { consented: options.consented });
  return {
    ok: true,
    report: { ...report, rejected: [...parsed.rejected, ...report.rejected].sort((a, b) => a.row - b.row) },
    ignoredColumns: parsed.columns.ignored,
    header: parsed.columns.header,
  };
}
