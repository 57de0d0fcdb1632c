import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_RUNTIME_FILE as STACK_RUNTIME_FILE } from '../../../../cli/dev/start-local-stack.js';
import { LOCAL_RUNTIME_FILE, readLocalRuntime } from '../../../../cli/remote/local-runtime.js';
import { LocalStackNotRunningError } from '../../../../cli/remote/remote-errors.js';
import { runCli } from '../../../support/cli-harness.js';
import { type ConsoleTestApp, createConsoleTestApp, EDITOR_TOKEN } from '../../console/console-test-app.js';
import { closedPort } from './http-stand-in.js';

let t: ConsoleTestApp;
let server: Server;
let state: string;
let cwd: string;

beforeAll(async () => {
  t = createConsoleTestApp();
  t.addSubscriber({ email: 'ann@example.org' });
  t.addSubscriber({ email: 'bob@example.org', cadence: 'daily' });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const { port } = server.address() as { port: number };
  cwd = await mkdtemp(join(tmpdir(), 'gazette-cli-remote-'));
  state = join(cwd, '.gazette');
  await writeRuntime(state, {
    url: `http://127.0.0.1:${port}/`,
    editorToken: EDITOR_TOKEN,
    pid: process.pid,
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

async function writeRuntime(dir: string, value: unknown): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, LOCAL_RUNTIME_FILE), typeof value === 'string' ? value : JSON.stringify(value));
}

describe('the local runtime file', () => {
  it('is the one the local stack writes', () => {
    expect(LOCAL_RUNTIME_FILE).toBe(STACK_RUNTIME_FILE);
  });

  it('means "not running" when missing, unreadable or left by a dead process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gazette-state-'));
    await expect(readLocalRuntime(dir)).rejects.toThrow(LocalStackNotRunningError);
    await writeRuntime(dir, '{ not json');
    await expect(readLocalRuntime(dir)).rejects.toThrow(/is not valid JSON/);
    await writeRuntime(dir, { url: 'http://example.com/', editorToken: 'x', pid: 1 });
    await expect(readLocalRuntime(dir)).rejects.toThrow(/does not hold/);
    await writeRuntime(dir, { url: 'http://127.0.0.1:3000/', editorToken: 'x', pid: 4_000_000 });
    await expect(readLocalRuntime(dir, () => false)).rejects.toThrow('its process 4000000 is gone');
    expect(await readLocalRuntime(dir, () => true)).toEqual({
      url: 'http://127.0.0.1:3000/',
      editorToken: 'x',
      pid: 4_000_000,
    });
  });

  it('makes every remote command say how to start the stack', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'gazette-empty-'));
    for (const args of [
      ['editions'],
      ['send', '--cadence', 'weekly'],
      ['subscribers', 'count'],
      ['preview'],
      ['console'],
    ]) {
      const out = await runCli([...args, '--state', join(empty, '.gazette')], { cwd: empty });
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toMatch(
        /the local stack is not running \(no .*local\.json\): start it with `npm start`/,
      );
    }
    const port = await closedPort();
    await writeRuntime(join(empty, 'dead'), {
      url: `http://127.0.0.1:${port}/`,
      editorToken: 'x',
      pid: process.pid,
    });
    const down = await runCli(['editions', '--state', join(empty, 'dead')], { cwd: empty });
    expect(down.stderr).toBe(
      `gazette editions: the local stack is not running (nothing answers at http://127.0.0.1:${port}/: connection refused): start it with \`npm start\``,
    );
  });
});

describe('gazette commands against the editor API', () => {
  it('counts and finds subscribers', async () => {
    const count = await runCli(['subscribers', 'count', '--state', state], { cwd });
    expect(count.code).toBe(0);
    expect(count.stdout.split('\n')[2]).toMatch(/^active\s+0\s+1\s+1\s+2$/);
    const find = await runCli(['subscribers', 'find', 'ann@', '--state', state], { cwd });
    expect(find.stdout).toMatch(/^ann@example\.org {2}active {2}weekly {2}topics: all/);
  });

  it('imports a file in parts with line numbers into the file, and exports the list', async () => {
    const lines = ['email,cadence'];
    for (let i = 1; i <= 450; i++) lines.push(`reader${i}@example.org,weekly`);
    lines.push('broken-address,weekly', 'reader7@example.org,daily', 'ann@example.org,weekly');
    await writeFile(join(cwd, 'list.csv'), `${lines.join('\n')}\n`);
    const out = await runCli(['subscribers', 'import', 'list.csv', '--consented', '--state', state], { cwd });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('lines 2-201: 200 added, 0 skipped, 0 rejected');
    expect(out.stdout).toContain(
      '450 added as active (consent stated), 1 skipped, 2 rejected, on the local stack',
    );
    expect(out.stdout).toContain('line 454: ann@example.org: already active: their own choices are kept');
    expect(out.stderr.split('\n')).toEqual([
      'line 452: email: must contain exactly one @',
      'line 453: duplicate: the same address as row 8',
      '2 lines rejected: fix them and import the file again (rows already imported are skipped)',
    ]);
    expect(t.store.all().filter((s) => s.consent.form === 'import')).toHaveLength(450);

    const exported = await runCli(['subscribers', 'export', '--out', 'out.csv', '--state', state], { cwd });
    expect(exported.stdout).toBe('wrote out.csv: 452 subscribers from the local stack');
    const csv = await readFile(join(cwd, 'out.csv'), 'utf8');
    expect(csv.split('\r\n')).toHaveLength(454);
  });

  it('previews, test-sends, sends detached and shows the edition', async () => {
    const dry = await runCli(['send', '--cadence', 'weekly', '--dry-run', '--state', state], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^weekly-2026-W48 on the local stack\n {2}subject {3}.+\n {2}posts {5}second-post, first-post\n {2}audience {2}\d+ active weekly subscribers?/,
    );
    expect(dry.stdout).toContain('dry run: nothing sent.');

    const test = await runCli(
      ['send', '--post', 'second-post', '--test', 'me@example.org', '--state', state],
      { cwd },
    );
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/test sent to me@example\.org \(memory-\d+\)/);

    const preview = await runCli(['preview', '--post', 'first-post', '--out', 'pv', '--state', state], {
      cwd,
    });
    expect(preview.stdout).toContain('wrote pv/post-first-post.html');
    expect(await readFile(join(cwd, 'pv', 'post-first-post.txt'), 'utf8')).toContain('Title of first-post');

    const send = await runCli(['send', '--cadence', 'weekly', '--detach', '--state', state], { cwd });
    expect(send.code).toBe(0);
    expect(send.stdout).toContain('weekly-2026-W48: created, sending…');
    expect(send.stdout).toContain('`gazette editions weekly-2026-W48` shows its progress');

    const list = await runCli(['editions', '--state', state], { cwd });
    expect(list.stdout.split('\n')[1]).toMatch(/^weekly-2026-W48 {2}sending/);
    const one = await runCli(['editions', 'weekly-2026-W48', '--state', state], { cwd });
    expect(one.stdout).toMatch(/^weekly-2026-W48: sending\n {2}\[[█·]{20}\] +\d+% {2}0 of \d+/);
    const pause = await runCli(['editions', 'weekly-2026-W48', '--pause', '--state', state], { cwd });
    expect(pause.stdout).toBe('weekly-2026-W48: paused');

    const missing = await runCli(['editions', 'weekly-2020-W01', '--state', state], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      "gazette editions: no edition 'weekly-2020-W01' on the local stack; `gazette editions` lists them",
    );
    const nothing = await runCli(['send', '--post', 'a-draft', '--state', state], { cwd });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toBe(
      'gazette send: the local stack refused the request (422): no published post has this slug (drafts and posts dated in the future are not sent)',
    );
  });

  it('says which Chromium is missing for preview --png, before asking anything', async () => {
    const { previewCommand } = await import('../../../../cli/commands/preview.js');
    const err: string[] = [];
    const error = await previewCommand
      .run(['--png', 'shots', '--state', state], {
        stdout: () => {},
        stderr: (line) => err.push(line),
        cwd,
        now: () => new Date(),
        env: { GAZETTE_CHROMIUM: '/nonexistent/chromium' },
        interrupted: new Promise(() => {}),
      })
      .catch((e: unknown) => e);
    expect((error as { userMessage?: string }).userMessage).toBe(
      'GAZETTE_CHROMIUM points at /nonexistent/chromium, which does not exist: fix it, or drop --png',
    );
  });

  it('prints the local console link', async () => {
    const out = await runCli(['console', '--state', state], { cwd });
    expect(out.stdout).toMatch(new RegExp(`http://127\\.0\\.0\\.1:\\d+/editor\\?token=${EDITOR_TOKEN}`));
  });

  it('refuses bad usage before asking anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['send'], /say what to send: --cadence daily\|weekly or --post SLUG/],
      [['send', '--cadence', 'hourly'], /--cadence must be daily or weekly, not "hourly"/],
      [['send', '--cadence', 'weekly', '--post', 'x'], /give --cadence or --post, not both/],
      [['send', '--post', 'Bad Slug'], /--post must be a post slug/],
      [['editions', 'x', '--pause', '--resume'], /--pause and --resume do not go together/],
      [['editions', '--watch'], /--watch needs an edition id/],
      [['subscribers'], /say what to do: import, export, count or find/],
      [['subscribers', 'count', '--consented'], /--consented goes with import only/],
      [['send', '--cadence', 'weekly', '--stage', 'Prod!'], /--stage must be a stage name/],
      [['send', '--cadence', 'weekly', '--url', 'http://example.com/'], /--url must use https/],
    ];
    for (const [args, message] of cases) {
      const out = await runCli([...args, '--state', state], { cwd });
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('has --help for every command it adds', async () => {
    for (const name of ['send', 'editions', 'preview', 'subscribers', 'console']) {
      const out = await runCli([name, '--help'], { cwd });
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(new RegExp(`^Usage: gazette ${name} `));
      expect(out.stdout).toContain('--stage NAME');
    }
  });
});
