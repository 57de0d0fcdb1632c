/**
 * A composed digest through SpamAssassin in local mode (`-L`: no network tests, no DNS).
 * Skipped, with the reason printed, when spamassassin is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeMime } from '../../../core/email/compose-mime.js';
import { toolSkipReason } from '../../support/chromium.js';
import { digestMimeInput, makeHeavyPosts, renderWeeklyDigest } from './fixtures.js';

const skip = toolSkipReason('spamassassin', 'spamassassin');

describe.skipIf(skip !== undefined)('SpamAssassin', () => {
  it('scores a composed weekly digest well below 5.0', async () => {
    const edition = await renderWeeklyDigest(makeHeavyPosts(6));
    const raw = await composeMime(
      digestMimeInput(edition, { messageId: '<weekly-2026-W47.1a2b3c@news.example.com>' }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'gazette-sa-'));
    try {
      const prefs = join(dir, 'user_prefs');
      writeFileSync(prefs, '');
      const run = spawnSync('spamassassin', ['-L', '-t', '-p', prefs], {
        input: Buffer.from(raw),
        encoding: 'utf8',
        timeout: 25_000,
        env: { ...process.env, HOME: dir },
      });
      expect(run.error).toBeUndefined();
      const status =
        /^X-Spam-Status: (\w+), score=(-?[\d.]+) required=([\d.]+) tests=([\s\S]*?)autolearn/m.exec(
          run.stdout,
        );
      expect(status, run.stderr).not.toBeNull();
      const score = Number(status?.[2]);
      const rules = (status?.[4] ?? '').replace(/\s+/g, '');
      console.log(`SpamAssassin: score ${score} (required ${status?.[3]}), rules: ${rules}`);
      expect(score).toBeLessThan(5.0);
      expect(status?.[1]).toBe('No');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
