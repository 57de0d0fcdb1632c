/**
 * Child process of the digest benchmark: in a fresh Node, imports the edition renderer and
 * renders one digest, timing the import and the first call (MJML's first compile, Liquid's
 * template parsing, lazy initialisation), then a second call for contrast.
 *
 * Usage: node --import tsx digest-first-call.ts POSTS_JSON TEMPLATES_DIR COUNT
 */
import { readFile } from 'node:fs/promises';
import { readTemplateDir } from '../../adapters/fs/read-templates.js';
import { reportToParent } from '../support/child-process.js';
import { cpuMsSince, msSince } from '../support/measure.js';
import { weeklyDigestInput } from './digest-input.js';
import { postsFromJson } from './posts-json.js';

export interface DigestFirstCall {
  importMs: number;
  importCpuMs: number;
  firstMs: number;
  firstCpuMs: number;
  secondMs: number;
  htmlBytes: number;
}

const [postsFile, templatesDir, countText] = process.argv.slice(2);
if (!postsFile || !templatesDir || !countText) {
  process.stderr.write('usage: digest-first-call.ts POSTS_JSON TEMPLATES_DIR COUNT\n');
  process.exit(2);
}
const { publication, posts } = postsFromJson(await readFile(postsFile, 'utf8'));
const templates = await readTemplateDir(templatesDir);
const input = weeklyDigestInput(publication, templates, posts.slice(0, Number(countText)));

let cpuStart = process.cpuUsage();
let start = process.hrtime.bigint();
const { renderEdition } = await import('../../core/email/render-edition.js');
const importMs = msSince(start);
const importCpuMs = cpuMsSince(cpuStart);
cpuStart = process.cpuUsage();
start = process.hrtime.bigint();
const first = await renderEdition(input);
const firstMs = msSince(start);
const firstCpuMs = cpuMsSince(cpuStart);
start = process.hrtime.bigint();
await renderEdition(input);
const secondMs = msSince(start);

const result: DigestFirstCall = {
  importMs,
  importCpuMs,
  firstMs,
  firstCpuMs,
  secondMs,
  htmlBytes: Buffer.byteLength(first.html),
};
reportToParent(result);
