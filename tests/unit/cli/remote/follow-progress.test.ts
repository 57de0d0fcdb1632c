import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../cli/command.js';
import { EditorClient } from '../../../../cli/remote/editor-client.js';
import { followProgress, progressLine } from '../../../../cli/remote/follow-progress.js';
import type { EditionProgress } from '../../../../core/edition.js';
import { type StandIn, startStandIn } from './http-stand-in.js';

const base: EditionProgress = {
  editionId: 'weekly-2026-W48',
  state: 'sending',
  planned: 4,
  sent: 0,
  failed: 0,
  unknown: 0,
  skipped: 0,
  sending: 0,
  queued: 4,
  deadLettered: 0,
  fanOutComplete: true,
};
const steps: EditionProgress[] = [
  { ...base },
  { ...base },
  { ...base, sent: 2, queued: 2 },
  { ...base, sent: 3, skipped: 1, queued: 0, state: 'done' },
];

let standIn: StandIn | undefined;
afterEach(async () => standIn?.close());

function io(tty: boolean) {
  const out: string[] = [];
  const raw: string[] = [];
  const value: CliIo = {
    stdout: (line) => out.push(line),
    stderr: () => {},
    cwd: '/',
    now: () => new Date(),
    env: {},
    interrupted: new Promise(() => {}),
    isTTY: tty,
    write: (text) => raw.push(text),
  };
  return { value, out, raw };
}

describe('following an edition', () => {
  it('draws a bar with every count', () => {
    expect(progressLine({ ...base, sent: 2, failed: 1, queued: 1 })).toBe(
      '[███████████████·····]  75%  3 of 4 · sent 2 · failed 1 · unknown 0 · skipped 0 · sending',
    );
    expect(progressLine({ ...base, planned: 10, fanOutComplete: false })).toBe(
      '[····················]   0%  0 of 10+ · sent 0 · failed 0 · unknown 0 · skipped 0 · finding recipients',
    );
    expect(progressLine({ ...base, planned: 0, queued: 0, state: 'done' })).toMatch(
      /^\[█{20}\] 100% {2}0 of 0 .* · done$/,
    );
  });

  for (const tty of [false, true]) {
    it(tty ? 'redraws one line on a terminal' : 'prints a line per change elsewhere', async () => {
      let n = 0;
      standIn = await startStandIn(() => ({ status: 200, body: steps[Math.min(n++, steps.length - 1)] }));
      const client = new EditorClient({ kind: 'local', baseUrl: standIn.url, token: 't', stateDir: '/s' });
      const { value, out, raw } = io(tty);
      const result = await followProgress(client, 'weekly-2026-W48', value, { intervalMs: 5 });
      expect(result.interrupted).toBe(false);
      expect(result.progress.state).toBe('done');
      expect(standIn.requests).toHaveLength(4);
      if (tty) {
        expect(out).toEqual([]);
        expect(raw).toHaveLength(5);
        expect(raw.slice(0, 4).every((r) => r.startsWith('\r') && r.endsWith('\u001b[K'))).toBe(true);
        expect(raw[4]).toBe('\n');
      } else {
        expect(raw).toEqual([]);
        expect(out.map((l) => l.slice(0, 30))).toEqual([
          '[····················]   0%  0',
          '[██████████··········]  50%  2',
          '[████████████████████] 100%  4',
        ]);
      }
    });
  }

  it('stops watching on Ctrl-C and says the edition goes on', async () => {
    standIn = await startStandIn(() => ({ status: 200, body: base }));
    const client = new EditorClient({ kind: 'local', baseUrl: standIn.url, token: 't', stateDir: '/s' });
    let interrupt = () => {};
    const { value } = io(false);
    value.interrupted = new Promise((resolve) => {
      interrupt = resolve;
    });
    const following = followProgress(client, 'weekly-2026-W48', value, { intervalMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    interrupt();
    const result = await following;
    expect(result.interrupted).toBe(true);
    expect(standIn.requests).toHaveLength(1);
  });
});
