import { describe, expect, it } from 'vitest';
import { cpuByOwner, ownerOf } from '../../../bench/support/cpu-profile.js';

const ROOT = '/repo';

describe('CPU profile by owner', () => {
  it('names npm packages, scoped ones too, and folders of the repository', () => {
    expect(ownerOf('render', 'file:///repo/node_modules/markdown-it/dist/index.cjs.js', ROOT)).toBe(
      'markdown-it',
    );
    expect(ownerOf('x', 'file:///repo/node_modules/@11ty/eleventy/src/Eleventy.js', ROOT)).toBe(
      '@11ty/eleventy',
    );
    expect(ownerOf('x', 'file:///repo/node_modules/a/node_modules/b/i.js', ROOT)).toBe('b');
    expect(ownerOf('loadContent', 'file:///repo/core/content/load-content.ts', ROOT)).toBe('core/content');
    expect(ownerOf('main', 'file:///repo/bench/run-publishing.ts', ROOT)).toBe('bench/run-publishing.ts');
    expect(ownerOf('(garbage collector)', '', ROOT)).toBe('garbage collection');
    expect(ownerOf('(idle)', '', ROOT)).toBe('idle (waiting for I/O or threads)');
    expect(ownerOf('readFile', 'node:internal/fs/promises', ROOT)).toBe(
      'Node.js (built-in modules, native code)',
    );
  });

  it('adds self time per owner from the samples and their time deltas', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '' } },
        { id: 2, callFrame: { functionName: 'parse', url: 'file:///repo/node_modules/yaml/dist/index.js' } },
        { id: 3, callFrame: { functionName: 'render', url: 'file:///repo/core/site/build-site.ts' } },
        {
          id: 4,
          callFrame: { functionName: 'compose', url: 'file:///repo/node_modules/yaml/dist/compose.js' },
        },
      ],
      samples: [2, 3, 4, 2, 1],
      timeDeltas: [1000, 3000, 1000, 1000, 4000],
    };
    const shares = cpuByOwner(JSON.stringify(profile), ROOT);
    expect(shares.map((s) => [s.owner, s.ms])).toEqual([
      ['V8 itself (compiling, runtime)', 4],
      ['yaml', 3],
      ['core/site', 3],
    ]);
    expect(shares.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1);
  });
});
