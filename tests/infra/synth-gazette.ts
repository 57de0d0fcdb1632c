/**
 * Synthesizes the Gazette app the way `cdk synth` does (cdk.json's context, cdk-nag on), into a
 * temporary folder, for one test file to share. Bundling is off unless asked for: the templates
 * are the same, only the code assets are placeholders.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createGazetteApp, type GazetteApp } from '../../infra/create-app.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The context of cdk.json, as the CLI passes it. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
}

export interface Synthesized extends GazetteApp {
  assembly: CloudAssembly;
  statefulTemplate: Template;
  statelessTemplate: Template;
  outdir: string;
  /** Removes the temporary output folder. */
  dispose(): void;
}

export interface SynthOptions {
  /** Context entries added to (or replacing) cdk.json's. */
  context?: Record<string, unknown>;
  /** Build the function bundles with esbuild (slow: several seconds). */
  bundle?: boolean;
  contentDir?: string;
}

export function synthGazette(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'gazette-cdk-'));
  const gazette = createGazetteApp({
    outdir,
    ...(options.contentDir ? { contentDir: options.contentDir } : {}),
    context: {
      ...cdkJsonContext(),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  let assembly: CloudAssembly;
  try {
    assembly = gazette.app.synth();
  } catch (error) {
    // cdk-nag findings fail the synthesis; show them, not only "Validation failed".
    let report = '';
    try {
      report = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
    } catch {
      // no report: the error is something else
    }
    rmSync(outdir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${report}`, { cause: error });
  }
  return {
    ...gazette,
    assembly,
    statefulTemplate: Template.fromStack(gazette.stateful),
    statelessTemplate: Template.fromStack(gazette.stateless),
    outdir,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Resources of one type in a template, as [logicalId, resource] pairs. */
export function resourcesOf(
  template: Template,
  type: string,
): Array<[string, { Properties?: Record<string, unknown>; [key: string]: unknown }]> {
  return Object.entries(template.findResources(type)) as Array<
    [string, { Properties?: Record<string, unknown>; [key: string]: unknown }]
  >;
}
