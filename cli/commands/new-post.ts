import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { readContentDir } from '../../adapters/fs/read-content-dir.js';
import { loadPublication } from '../../core/content/load-content.js';
import { scaffoldPost } from '../../core/content/scaffold-post.js';
import { type Command, UsageError } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';

export const newCommand: Command = {
  name: 'new',
  help: `Usage: gazette new "Title" [--content DIR]

Creates content/posts/<slug>.md with front matter (title, today's date in the
publication's time zone, draft: true) ready to write. Never overwrites a file.

Options:
  --content DIR   content folder (default: content)`,

  async run(args, io) {
    const { positionals, values } = parseOptions('new', args, { content: { type: 'string' } }, true);
    const title = positionals.join(' ').trim();
    if (positionals.length === 0 || title === '')
      throw new UsageError('a title is required: gazette new "My title"', 'new');
    const contentDir = resolve(io.cwd, stringOption(values, 'content', 'content'));
    const publication = loadPublication(await readContentDir(contentDir));
    const file = scaffoldPost(title, io.now(), publication.timeZone);
    const path = join(contentDir, file.path);
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(path, file.text, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        io.stderr(`${relative(io.cwd, path)} already exists: choose another title or edit that post`);
        return 1;
      }
      throw error;
    }
    io.stdout(`created ${relative(io.cwd, path)} (draft: set draft: false or remove it to publish)`);
    return 0;
  },
};
