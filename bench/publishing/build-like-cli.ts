/**
 * A build exactly as `gazette build` does it (cli/commands/build.ts): read the content and
 * templates folders, build the publication in memory, publish it to a folder writing only files
 * whose bytes changed. Timed by phase.
 */
import { DirectoryObjectStore } from '../../adapters/fs/directory-object-store.js';
import { readContentDir } from '../../adapters/fs/read-content-dir.js';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import { type BuiltPublication, buildPublication } from '../../core/publish/build-publication.js';
import { type PublishReport, publishSite } from '../../core/publish/publish-site.js';
import { msSince } from '../support/measure.js';

export interface BuildRun {
  built: BuiltPublication;
  report: PublishReport;
  /** Milliseconds per phase: reading both folders, building in memory, writing. */
  phases: { read: number; build: number; publish: number; total: number };
}

export async function buildLikeCli(options: {
  contentDir: string;
  templatesDir: string;
  outDir: string;
  now: Date;
}): Promise<BuildRun> {
  const start = process.hrtime.bigint();
  const [files, templates] = await Promise.all([
    readContentDir(options.contentDir),
    readTemplates(options.templatesDir),
  ]);
  const read = msSince(start);
  const built = await buildPublication({ files, templates: templates.site, now: options.now });
  const build = msSince(start) - read;
  const report = await publishSite(
    new DirectoryObjectStore(options.outDir),
    built.site,
    built.posts.map((p) => p.slug),
  );
  const total = msSince(start);
  return { built, report, phases: { read, build, publish: total - read - build, total } };
}
