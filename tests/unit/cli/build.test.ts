import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, scratchProject } from '../../support/cli-harness.js';

const POST = 'content/posts/russia-cuba-venezuela-deployment.md';

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe('gazette build', () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = await scratchProject();
  });

  it('writes the archive, the feeds and the stylesheet, and says what it wrote', async () => {
    const result = await runCli(['build'], { cwd });
    expect(result.code).toBe(0);
    const files = await listFiles(join(cwd, 'dist/site'));
    for (const path of [
      'index.html',
      'feed.xml',
      'atom.xml',
      'feed.json',
      'assets/style.css',
      'posts/russia-cuba-venezuela-deployment/index.html',
      'tags/nato/index.html',
      'tags/nato/feed.xml',
    ]) {
      expect(files).toContain(path);
      expect(result.stdout).toContain(`wrote   ${path}`);
    }
    expect(result.stdout).toMatch(/built 1 post into .*: \d+ written, 0 unchanged, 0 removed in \d+ ms/);
  });

  it('rewrites nothing when nothing changed, and only what changed otherwise', async () => {
    await runCli(['build'], { cwd });
    const again = await runCli(['build'], { cwd });
    expect(again.stdout).toMatch(/: 0 written, \d+ unchanged, 0 removed/);

    const text = await readFile(join(cwd, POST), 'utf8');
    await writeFile(
      join(cwd, POST),
      text.replace('he said.”', 'he said, again.”').replace(/\n$/, '\n\nOne more line.\n'),
    );
    const changed = await runCli(['build'], { cwd });
    const written = changed.stdout
      .split('\n')
      .filter((l) => l.startsWith('wrote'))
      .map((l) => l.slice(8));
    expect(written).toContain('posts/russia-cuba-venezuela-deployment/index.html');
    expect(written).toContain('feed.xml');
    expect(written).not.toContain('assets/style.css');
    expect(written).not.toContain('404.html');
  });

  it('removes the pages of a post that is gone', async () => {
    await runCli(['build'], { cwd });
    await writeFile(
      join(cwd, 'content/posts/second.md'),
      '---\ntitle: Second\ndate: 2026-11-01\ntags: [extra]\n---\nBody.\n',
    );
    await runCli(['build'], { cwd });
    expect(existsSync(join(cwd, 'dist/site/posts/second/index.html'))).toBe(true);
    await rm(join(cwd, 'content/posts/second.md'));
    const result = await runCli(['build'], { cwd });
    expect(result.stdout).toContain('removed posts/second/index.html');
    expect(result.stdout).toContain('removed tags/extra/index.html');
    expect(existsSync(join(cwd, 'dist/site/posts/second'))).toBe(false);
  });

  it('leaves drafts and future posts out until due', async () => {
    await writeFile(join(cwd, 'content/posts/later.md'), '---\ntitle: Later\ndate: 2027-01-01\n---\nSoon.\n');
    await writeFile(
      join(cwd, 'content/posts/draft.md'),
      '---\ntitle: Draft\ndate: 2026-01-01\ndraft: true\n---\nWIP.\n',
    );
    const before = await runCli(['build'], { cwd, now: new Date('2026-12-31T12:00:00Z') });
    expect(before.stdout).toContain('2 draft or future posts left out until due');
    expect(existsSync(join(cwd, 'dist/site/posts/later/index.html'))).toBe(false);
    expect(existsSync(join(cwd, 'dist/site/posts/draft/index.html'))).toBe(false);
    await runCli(['build'], { cwd, now: new Date('2027-01-02T12:00:00Z') });
    expect(existsSync(join(cwd, 'dist/site/posts/later/index.html'))).toBe(true);
    expect(existsSync(join(cwd, 'dist/site/posts/draft/index.html'))).toBe(false);
  });

  it('reports every content problem with file and line, exits 1 and writes nothing', async () => {
    await writeFile(join(cwd, 'content/posts/a.md'), '---\ndate: 2026-01-01\n---\nNo title.\n');
    await writeFile(join(cwd, 'content/posts/b.md'), '---\ntitle: B\ndate: Jan 13th\n---\nBad date.\n');
    const result = await runCli(['build'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2 problems in the content; nothing was written');
    expect(result.stderr).toMatch(/posts\/a\.md:\d+: .*title/);
    expect(result.stderr).toMatch(/posts\/b\.md:3: .*date/);
    expect(existsSync(join(cwd, 'dist/site'))).toBe(false);
  });

  it('answers a usage error with exit code 2 and a hint', async () => {
    const result = await runCli(['build', '--nope'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--nope'");
    expect(result.stderr).toContain('gazette build --help');
  });

  it('builds for another public URL', async () => {
    await runCli(['build', '--url', 'http://127.0.0.1:3999'], { cwd });
    const feed = await readFile(join(cwd, 'dist/site/feed.xml'), 'utf8');
    expect(feed).toContain('<link>http://127.0.0.1:3999/</link>');
  });
});

describe('gazette new', () => {
  it('scaffolds a draft post and never overwrites one', async () => {
    const cwd = await scratchProject();
    const first = await runCli(['new', 'A fresh look at things'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created content/posts/a-fresh-look-at-things.md');
    const text = await readFile(join(cwd, 'content/posts/a-fresh-look-at-things.md'), 'utf8');
    expect(text).toMatch(/^---\n/);
    expect(text).toContain('2026-11-27');
    expect(text).toContain('draft: true');
    const second = await runCli(['new', 'A fresh look at things'], { cwd });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already exists');
    // The scaffold is valid content: a build accepts it (and leaves the draft out).
    const build = await runCli(['build'], { cwd });
    expect(build.code).toBe(0);
  });

  it('wants a title', async () => {
    const cwd = await scratchProject();
    const result = await runCli(['new'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a title is required');
  });
});

describe('gazette', () => {
  it('lists its commands and knows its version', async () => {
    const help = await runCli(['--help'], { cwd: '.' });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('build');
    expect(help.stdout).toContain('new');
    const version = await runCli(['--version'], { cwd: '.' });
    expect(version.stdout).toMatch(/^gazette \d+\.\d+\.\d+$/);
    const unknown = await runCli(['frobnicate'], { cwd: '.' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('gives every command a --help', async () => {
    const { commands } = await import('../../../cli/commands/index.js');
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      const result = await runCli([command.name, '--help'], { cwd: '.' });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: gazette ${command.name}`);
    }
  });
});
