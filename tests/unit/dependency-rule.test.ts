import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

function imports(text: string): string[] {
  const found: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2] ?? m[3]) as string);
  return found;
}

/** Strips comments so that prose about a rule does not trip it. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('dependency rule (docs/architecture.md)', () => {
  const core = sources('core');

  it('finds the core sources', () => {
    expect(core.length).toBeGreaterThan(3);
  });

  it.each(core)('%s imports no AWS SDK, CDK, filesystem or process', (file) => {
    const text = code(readFileSync(join(root, file), 'utf8'));
    const bad = imports(text).filter((s) =>
      /^(@aws-sdk\/|aws-cdk-lib|constructs$|node:fs|fs$|fs\/|node:child_process|node:process|node:net|node:http)/.test(
        s,
      ),
    );
    expect(bad, `${file} imports ${bad.join(', ')}`).toEqual([]);
    expect(text, `${file} reads process.env`).not.toMatch(/\bprocess\s*\.\s*env\b/);
  });

  it.each(core)('%s reads no clock (it takes a Clock)', (file) => {
    const text = code(readFileSync(join(root, file), 'utf8'));
    expect(text, `${file} calls Date.now()`).not.toMatch(/\bDate\s*\.\s*now\s*\(/);
    expect(text, `${file} calls new Date() without arguments`).not.toMatch(/new\s+Date\s*\(\s*\)/);
    expect(text, `${file} calls performance.now()`).not.toMatch(/\bperformance\s*\.\s*now\s*\(/);
  });

  const outsideAdapters = ['core', 'web', 'functions', 'cli', 'bin'].flatMap((d) => sources(d));
  it.each(outsideAdapters)('%s leaves the AWS SDK to adapters/', (file) => {
    const bad = imports(code(readFileSync(join(root, file), 'utf8'))).filter((s) =>
      s.startsWith('@aws-sdk/'),
    );
    expect(bad, `${file} imports ${bad.join(', ')}`).toEqual([]);
  });

  it('infra/ references handlers by entry path only', () => {
    let infra: string[] = [];
    try {
      infra = sources('infra');
    } catch {
      infra = [];
    }
    for (const file of infra) {
      const bad = imports(code(readFileSync(join(root, file), 'utf8'))).filter((s) =>
        /(^|\/)functions\//.test(s),
      );
      expect(bad, `${relative(root, file)} imports ${bad.join(', ')}`).toEqual([]);
    }
  });
});
