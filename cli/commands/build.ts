import { resolve } from 'node:path';
import { DirectoryObjectStore } from '../../adapters/fs/directory-object-store.js';
import { readContentDir } from '../../adapters/fs/read-content-dir.js';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import { buildPublication } from '../../core/publish/build-publication.js';
import { publishSite } from '../../core/publish/publish-site.js';
import type { Command } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';

export const buildCommand: Command = {
  name: 'build',
  help: `Usage: gazette build [--content DIR] [--templates DIR] [--out DIR] [--url URL] [--quiet]

Builds the archive (index, post and tag pages), the feeds (feed.xml, atom.xml,
feed.json, tags/<tag>/feed.xml) and the stylesheet from the content folder.
Only files whose bytes changed are rewritten; files of posts that are gone are removed.
Drafts and posts dated in the future are left out until they are due.

Options:
  --content DIR     content folder (default: content)
  --templates DIR   templates folder (default: templates)
  --out DIR         output folder (default: dist/site)
  --url URL         public base URL to build for, instead of publication.yaml's url
  --quiet           print only the summary line

Exit codes: 0 built, 1 content problems (each printed as file:line: message), 2 usage error.`,

  async run(args, io) {
    const { values } = parseOptions('build', args, {
      content: { type: 'string' },
      templates: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    const started = performance.now();
    const contentDir = resolve(io.cwd, stringOption(values, 'content', 'content'));
    const templatesDir = resolve(io.cwd, stringOption(values, 'templates', 'templates'));
    const outDir = resolve(io.cwd, stringOption(values, 'out', 'dist/site'));

    const [files, templates] = await Promise.all([readContentDir(contentDir), readTemplates(templatesDir)]);
    const built = await buildPublication({
      files,
      templates: templates.site,
      now: io.now(),
      publicUrl: stringOption(values, 'url'),
    });
    const report = await publishSite(new DirectoryObjectStore(outDir), built.site, built.posts, {
      now: io.now(),
    });
    const ms = Math.round(performance.now() - started);
    if (!values.quiet) {
      for (const path of report.written) io.stdout(`wrote   ${path}`);
      for (const path of report.deleted) io.stdout(`removed ${path}`);
    }
    io.stdout(
      `built ${built.posts.length} post${built.posts.length === 1 ? '' : 's'} into ${outDir}: ` +
        `${report.written.length} written, ${report.unchanged} unchanged, ${report.deleted.length} removed in ${ms} ms`,
    );
    const held = built.allPosts.length - built.posts.length;
    if (held > 0) io.stdout(`${held} draft or future post${held === 1 ? '' : 's'} left out until due`);
    return 0;
  },
};
