/**
 * Child process of the full-build benchmark: builds the Eleventy project prepared by
 * prepare-eleventy.ts (the same posts as Gazette's build) with Eleventy 3's programmatic API and
 * @11ty/eleventy-plugin-rss, in a fresh Node, and prints how long the import and the build took.
 *
 * It runs on plain Node (which strips the types), not through tsx, so Eleventy pays no loader
 * overhead: it imports nothing of ours.
 *
 * Usage: node eleventy-build.ts PROJECT_DIR OUTPUT_DIR
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface SiteData {
  title: string;
  description: string;
  url: string;
  language: string;
  author: { name: string; email?: string };
  feedItems: number;
}

const [projectArg, outputArg] = process.argv.slice(2);
if (!projectArg || !outputArg) {
  process.stderr.write('usage: eleventy-build.ts PROJECT_DIR OUTPUT_DIR\n');
  process.exit(2);
}
const project = resolve(projectArg);
const output = resolve(outputArg);
// Eleventy reads its input relative to the working folder, as on the command line.
process.chdir(project);
const site = JSON.parse(readFileSync(resolve(project, '_data/site.json'), 'utf8')) as SiteData;

let start = process.hrtime.bigint();
const [{ Eleventy }, { feedPlugin }, { default: markdownItAnchor }] = await Promise.all([
  import('@11ty/eleventy'),
  import('@11ty/eleventy-plugin-rss'),
  import('markdown-it-anchor'),
]);
const importMs = Number(process.hrtime.bigint() - start) / 1e6;

start = process.hrtime.bigint();
const eleventy = new Eleventy('.', output, {
  quietMode: true,
  config(config) {
    config.addCollection('posts', (api) => api.getFilteredByGlob('./posts/*.md'));
    config.addPlugin(feedPlugin, {
      type: 'rss',
      outputPath: '/feed.xml',
      collection: { name: 'posts', limit: site.feedItems },
      metadata: {
        language: site.language,
        title: site.title,
        subtitle: site.description,
        base: site.url,
        author: site.author,
      },
    });
    // The same Markdown setup as Gazette's: markdown-it with raw HTML, linkify and heading anchors.
    config.amendLibrary('md', (md) => {
      md.set({ html: true, linkify: true, typographer: false });
      md.use(markdownItAnchor, {
        level: [1, 2, 3, 4, 5, 6],
        tabIndex: false,
        permalink: markdownItAnchor.permalink.headerLink({ safariReaderFix: true }),
      });
    });
    config.addPassthroughCopy('assets');
  },
});
await eleventy.write();
const buildMs = Number(process.hrtime.bigint() - start) / 1e6;

const cpu = process.cpuUsage();
const result = {
  importMs,
  buildMs,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  cpuMs: (cpu.user + cpu.system) / 1000,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
