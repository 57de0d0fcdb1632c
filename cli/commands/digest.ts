import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { readContentDir } from '../../adapters/fs/read-content-dir.js';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import { loadContent } from '../../core/content/load-content.js';
import { selectPublished } from '../../core/content/select-published.js';
import { digestEditionId } from '../../core/editions/edition-ids.js';
import { onePeriodBefore } from '../../core/editions/schedule-slot.js';
import { composeMime } from '../../core/email/compose-mime.js';
import { listIdFor } from '../../core/email/list-id.js';
import { compileEdition, personalize } from '../../core/email/personalize.js';
import { renderEdition } from '../../core/email/render-edition.js';
import { DIGEST_CADENCES, type DigestCadence } from '../../core/model.js';
import { renderPost } from '../../core/render/render-post.js';
import { toZoned } from '../../core/time/zoned.js';
import { type Command, UsageError } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';

const SAMPLE_RECIPIENT = 'reader@example.com';

export const digestCommand: Command = {
  name: 'digest',
  help: `Usage: gazette digest [--content DIR] [--templates DIR] [--cadence daily|weekly] [--since ISO-DATE] [--out DIR]

Renders the digest the cadence would send now, the way the delivery engine does (rendered once,
then the recipient's links spliced in), and writes digest.html, digest.txt and digest.eml (the
complete MIME message as it would go to SES) for the sample recipient ${SAMPLE_RECIPIENT}.

The digest holds the posts published in the cadence's last period (the last day or the last
seven days, up to now); --since takes every post published after that date instead.

Options:
  --content DIR     content folder (default: content)
  --templates DIR   templates folder (default: templates)
  --cadence C       daily or weekly (default: weekly)
  --since DATE      ISO 8601 date or date-time, e.g. 2022-01-01 or 2026-11-20T07:00:00Z
  --out DIR         output folder (default: dist/digest)`,

  async run(args, io) {
    const { values } = parseOptions('digest', args, {
      content: { type: 'string' },
      templates: { type: 'string' },
      cadence: { type: 'string' },
      since: { type: 'string' },
      out: { type: 'string' },
    });
    const cadence = stringOption(values, 'cadence', 'weekly');
    if (!DIGEST_CADENCES.includes(cadence as DigestCadence)) {
      throw new UsageError(`--cadence must be daily or weekly, not "${cadence}"`, 'digest');
    }
    const sinceText = stringOption(values, 'since');
    const since = sinceText === undefined ? undefined : new Date(sinceText);
    if (
      since !== undefined &&
      (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(sinceText ?? ''))
    ) {
      throw new UsageError(
        `--since must be an ISO 8601 date such as 2022-01-01, not "${sinceText}"`,
        'digest',
      );
    }

    const [files, templates] = await Promise.all([
      readContentDir(resolve(io.cwd, stringOption(values, 'content', 'content'))),
      readTemplates(resolve(io.cwd, stringOption(values, 'templates', 'templates'))),
    ]);
    const { publication, posts } = loadContent(files);
    const now = io.now();
    const timeZone = publication.schedule[cadence as DigestCadence]?.timeZone ?? publication.timeZone;
    const start = since ?? onePeriodBefore(now, cadence as DigestCadence, timeZone);
    const chosen = selectPublished(posts, now).filter((p) => p.date.getTime() > start.getTime());
    if (chosen.length === 0) {
      io.stderr(
        `no posts published between ${start.toISOString()} and ${now.toISOString()}: a ${cadence} digest now would send nothing.` +
          ' Use --since to choose an earlier start, e.g. --since 2022-01-01.',
      );
      return 1;
    }

    const editionId = digestEditionId(cadence as DigestCadence, toZoned(now, timeZone));
    const rendered = await renderEdition({
      publication,
      templates: templates.email,
      editionId,
      kind: 'digest',
      cadence: cadence as DigestCadence,
      posts: chosen.map((post) => renderPost(post, publication)),
    });
    const links = {
      unsubscribeUrl: `${publication.url}unsubscribe?token=sample`,
      preferencesUrl: `${publication.url}preferences?token=sample`,
    };
    const personal = personalize(compileEdition(rendered), links);
    const eml = await composeMime({
      from: publication.email.from,
      replyTo: publication.email.replyTo,
      to: SAMPLE_RECIPIENT,
      subject: rendered.subject,
      html: personal.html,
      text: personal.text,
      date: now,
      listUnsubscribeUrl: links.unsubscribeUrl,
      listId: listIdFor(publication),
    });

    const outDir = resolve(io.cwd, stringOption(values, 'out', 'dist/digest'));
    await mkdir(outDir, { recursive: true });
    const outputs: Array<[string, string | Uint8Array]> = [
      ['digest.html', personal.html],
      ['digest.txt', personal.text],
      ['digest.eml', eml],
    ];
    for (const [name, body] of outputs) {
      await writeFile(join(outDir, name), body);
      io.stdout(
        `wrote ${relative(io.cwd, join(outDir, name))} (${Buffer.byteLength(body).toLocaleString('en')} bytes)`,
      );
    }
    io.stdout(
      `${editionId}: "${rendered.subject}", ${chosen.length} post${chosen.length === 1 ? '' : 's'} since ${start.toISOString()}`,
    );
    return 0;
  },
};
