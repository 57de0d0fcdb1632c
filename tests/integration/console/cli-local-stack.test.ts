/**
 * `gazette send|editions|subscribers|preview|console` against the real local stack (the one
 * `npm start` runs), found through the `.gazette/local.json` it writes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eStack, startE2eStack } from '../../e2e/e2e-stack.js';
import { chromiumPath } from '../../support/chromium.js';
import { runCli } from '../../support/cli-harness.js';

let e2e: E2eStack;

beforeAll(async () => {
  e2e = await startE2eStack();
}, 90_000);

afterAll(async () => {
  await e2e?.stop();
});

const cli = (args: string[]) => runCli(args, { cwd: e2e.root });

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the CLI against the local stack', () => {
  it('imports, sends the weekly digest following its progress to the end, lists and exports', async () => {
    await writeFile(
      join(e2e.root, 'list.csv'),
      'email,cadence\none@example.org,weekly\ntwo@example.org,weekly\nthree@example.org,daily\n',
    );
    const imported = await cli(['subscribers', 'import', 'list.csv', '--consented']);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(
      '3 added as active (consent stated), 0 skipped, 0 rejected, on the local stack',
    );
    const again = await cli(['subscribers', 'import', 'list.csv', '--consented']);
    expect(again.stdout.split('\n')[0]).toBe(
      '0 added as active (consent stated), 3 skipped, 0 rejected, on the local stack',
    );

    const sent = await cli(['send', '--cadence', 'weekly']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^weekly-\d{4}-W\d{2} on the local stack\n/);
    expect(sent.stdout).toContain('  posts     fresh-briefing');
    expect(sent.stdout).toContain('  audience  2 active weekly subscribers');
    expect(sent.stdout).toMatch(
      /\ndone: \[█{20}\] 100% {2}2 of 2 · sent 2 · failed 0 · unknown 0 · skipped 0 · done$/,
    );
    const id = /^(weekly-\d{4}-W\d{2})/.exec(sent.stdout)?.[1] as string;

    const again2 = await cli(['send', '--cadence', 'weekly', '--detach']);
    expect(again2.stdout).toContain(`${id}: existed already (`);

    const list = await cli(['editions']);
    expect(list.stdout.split('\n')[1]).toMatch(new RegExp(`^${id} +done +`));
    const one = await cli(['editions', id]);
    expect(one.stdout).toContain('planned 2 · sent 2 · failed 0 · unknown 0 · skipped 0');

    const count = await cli(['subscribers', 'count']);
    expect(count.stdout.split('\n')[2]).toMatch(/^active\s+0\s+1\s+2\s+3$/);
    const exported = await cli(['subscribers', 'export']);
    expect(exported.stdout.split('\r\n')[0]).toMatch(/^email,cadence,topics,status,/);
    expect(exported.stderr).toBe('3 subscribers exported from the local stack');
  });

  it('writes a preview, with screenshots at 375 and 600 px when Chromium is there', async (ctx) => {
    const out = await cli(['preview', '--post', 'fresh-briefing', '--out', 'pv']);
    expect(out.code).toBe(0);
    expect(await readFile(join(e2e.root, 'pv', 'post-fresh-briefing.html'), 'utf8')).toContain(
      'Talks resume in Geneva',
    );
    if (!chromiumPath()) {
      console.warn(
        'no Chromium found (set GAZETTE_CHROMIUM or apt-get install chromium); preview --png not checked',
      );
      ctx.skip();
    }
    const png = await cli(['preview', '--post', 'fresh-briefing', '--out', 'pv', '--png', 'shots']);
    expect(png.code).toBe(0);
    expect(png.stdout).toContain('wrote shots/post-fresh-briefing-375.png');
    expect(pngSize(await readFile(join(e2e.root, 'shots', 'post-fresh-briefing-375.png'))).width).toBe(375);
    expect(pngSize(await readFile(join(e2e.root, 'shots', 'post-fresh-briefing-600.png'))).width).toBe(600);
  });

  it('prints the console link, which signs a browser in', async () => {
    const out = await cli(['console']);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/editor\?token=\S+)/.exec(out.stdout)?.[1] as string;
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/^gazette_console=/);
  });
});
