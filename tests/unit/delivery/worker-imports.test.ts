import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const HEAVY = ['mjml', 'liquidjs'];

/** Specifiers of static and dynamic imports and re-exports (type-only imports are erased, so left out). */
function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  const re =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(re)) {
    if (m[2]) continue;
    const spec = m[4] ?? m[5] ?? m[6];
    if (spec) out.push(spec);
  }
  return out;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}

/** Every source file and package a module loads, following relative imports and package dependencies. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [resolve(root, entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) pending.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) addPackage(packageName(spec), packages);
    }
  }
  return { files, packages };
}

/** A package and, transitively, the packages it depends on. */
function addPackage(name: string, seen: Set<string>): void {
  if (seen.has(name)) return;
  seen.add(name);
  const manifest = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) addPackage(dep, seen);
}

describe('the send worker bundle', () => {
  it('loads neither MJML nor Liquid, directly or through a dependency', () => {
    const graph = importGraph('core/delivery/send-worker.ts');
    const rel = [...graph.files].map((f) => f.slice(root.length + 1));
    // The scan reaches what the worker really uses.
    expect(rel).toContain('core/email/personalize.ts');
    expect(rel).toContain('core/email/compose-mime.ts');
    expect(graph.packages.has('nodemailer')).toBe(true);
    for (const heavy of HEAVY)
      expect(graph.packages.has(heavy), `${heavy} in the worker's graph`).toBe(false);
    expect(rel.filter((f) => /render-edition|render-mail|compile-mjml|liquid-engines/.test(f))).toEqual([]);
  });

  it('the send function (Lambda entry point) loads neither MJML nor Liquid either', () => {
    const graph = importGraph('functions/send-worker.ts');
    const rel = [...graph.files].map((f) => f.slice(root.length + 1));
    // The scan follows the wiring down to the worker and the AWS adapters.
    expect(rel).toContain('core/delivery/send-worker.ts');
    expect(rel).toContain('adapters/aws/ses-mailer.ts');
    expect(graph.packages.has('@aws-sdk/client-ses')).toBe(true);
    for (const heavy of HEAVY)
      expect(graph.packages.has(heavy), `${heavy} in the send function's graph`).toBe(false);
    expect(
      rel.filter((f) => /template-variant-renderer|create-delivery-services|render-edition/.test(f)),
    ).toEqual([]);
  });

  it('the scan does find them where they are (the renderer fan-out receives)', () => {
    const graph = importGraph('core/editions/template-variant-renderer.ts');
    expect(graph.packages.has('mjml')).toBe(true);
    expect(graph.packages.has('liquidjs')).toBe(true);
  });
});
