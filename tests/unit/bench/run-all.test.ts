import { describe, expect, it } from 'vitest';
import { parseRunAllArgs, runAll, sectionArgs } from '../../../bench/run-all.js';

describe('bench/run-all.ts', () => {
  it('runs publishing, delivery and bundles in that order unless --only names some', () => {
    expect(parseRunAllArgs([])).toEqual({
      sections: ['publishing', 'delivery', 'bundles'],
      docs: true,
      dryRun: false,
    });
    expect(parseRunAllArgs(['--only', 'bundles,publishing', '--no-docs', '--dry-run'])).toEqual({
      sections: ['publishing', 'bundles'],
      docs: false,
      dryRun: true,
    });
  });

  it('names a wrong argument or section', () => {
    expect(parseRunAllArgs(['--fast'])).toMatchObject({
      error: expect.stringMatching(/^unknown argument --fast/),
    });
    expect(parseRunAllArgs(['--only'])).toMatchObject({
      error: expect.stringMatching(/^--only needs a section/),
    });
    expect(parseRunAllArgs(['--only', 'delivery,email'])).toMatchObject({
      error: 'unknown section email; sections: publishing, delivery, bundles',
    });
  });

  it('starts each section’s own runner, passing --no-docs on', () => {
    const publishing = sectionArgs('publishing', true);
    expect(publishing.slice(-1)).toEqual(['bench/run-publishing.ts']);
    expect(sectionArgs('delivery', false).slice(-2)).toEqual(['bench/run-delivery.ts', '--no-docs']);
    expect(sectionArgs('bundles', false).slice(-2)).toEqual(['bench/bundles.ts', '--no-docs']);
  });

  it('in a dry run, prints each command and runs nothing', async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      expect(await runAll({ sections: ['delivery', 'bundles'], docs: false, dryRun: true })).toEqual([]);
    } finally {
      console.log = log;
    }
    expect(lines).toEqual([
      'delivery: npx tsx bench/run-delivery.ts --no-docs',
      'bundles: npx tsx bench/bundles.ts --no-docs',
    ]);
  });
});
