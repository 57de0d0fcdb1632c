import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { runCli, scratchProject } from '../../support/cli-harness.js';

describe('gazette digest', () => {
  it('writes the HTML, text and MIME message a sample recipient would get', async () => {
    const cwd = await scratchProject();
    const result = await runCli(['digest', '--since', '2022-01-01', '--out', 'out'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('weekly-2026-W48');
    const html = await readFile(join(cwd, 'out/digest.html'), 'utf8');
    const text = await readFile(join(cwd, 'out/digest.txt'), 'utf8');
    const eml = await readFile(join(cwd, 'out/digest.eml'));
    // The mail HTML writes characters beyond ASCII as references (core/email/escape-non-ascii.ts).
    expect(html).toContain('Russia won&#8217;t rule out military deployments');
    expect(html).not.toMatch(/GAZETTE-PLACEHOLDER/);
    expect(text).toContain('https://dispatch.example.com/unsubscribe?token=sample');
    const mail = await simpleParser(eml);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('reader@example.com');
    expect(mail.subject).toContain('Weekly digest');
    const head = eml.toString('utf8').split('\r\n\r\n')[0] ?? '';
    expect(head).toMatch(
      /^List-Unsubscribe: <https:\/\/dispatch\.example\.com\/unsubscribe\?token=sample>$/m,
    );
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(head).toMatch(/^List-ID: "Gazette Dispatch" <[a-z0-9.-]+\.dispatch\.example\.com>$/m);
    expect(mail.html).toBe(html);
  });

  it('takes the last period by default and says when it holds no post', async () => {
    const cwd = await scratchProject();
    const result = await runCli(['digest', '--cadence', 'daily'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no posts published between');
    expect(result.stderr).toContain('--since');
  });

  it('rejects an unknown cadence and a malformed date with exit code 2', async () => {
    const cwd = await scratchProject();
    expect((await runCli(['digest', '--cadence', 'hourly'], { cwd })).code).toBe(2);
    const bad = await runCli(['digest', '--since', 'last tuesday'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be an ISO 8601 date');
  });
});
