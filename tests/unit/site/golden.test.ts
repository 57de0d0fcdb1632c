/**
 * Golden files: the archive built from the fixed fixture in ./fixtures.ts must match
 * tests/golden/site/ byte for byte.
 *
 * After an intended change to templates, rendering or feeds, regenerate them and review the diff:
 *
 *   UPDATE_GOLDEN=1 npx vitest run tests/unit/site/golden.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../../core/site/build-site.js';
import { siteTemplates } from '../../support/fixtures.js';
import { publication, renderedFixture } from './fixtures.js';

const goldenDir = join(import.meta.dirname, '..', '..', 'golden', 'site');
const update = process.env.UPDATE_GOLDEN === '1';

/** Built path → golden file name. */
const GOLDEN: Record<string, string> = {
  'feed.xml': 'feed.xml',
  'atom.xml': 'atom.xml',
  'feed.json': 'feed.json',
  'index.html': 'index.html',
  'posts/maps-that-lie/index.html': 'post.html',
  'tags/maps/index.html': 'tag.html',
  'tags/maps/feed.xml': 'tag-feed.xml',
};

describe('golden files', async () => {
  const pub = publication();
  const files = new Map(
    (await buildSite({ publication: pub, posts: renderedFixture(pub), templates: siteTemplates })).map(
      (f) => [f.path, f.body],
    ),
  );
  if (update) mkdirSync(goldenDir, { recursive: true });

  it.each(Object.entries(GOLDEN))('%s matches tests/golden/site/%s', (path, name) => {
    const actual = files.get(path);
    expect(actual, `${path} was not built`).toBeTypeOf('string');
    const goldenPath = join(goldenDir, name);
    if (update) writeFileSync(goldenPath, actual ?? '');
    expect(existsSync(goldenPath), `${goldenPath} missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
  });
});
