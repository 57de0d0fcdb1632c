/**
 * The esbuild options of every function bundle, in one place: the stack hands them to
 * NodejsFunction and bench/bundles.ts to esbuild's API, so what is measured is what is deployed.
 */
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import type { FunctionSpec } from './function-specs.js';

/** Node 24 on Lambda. */
export const ESBUILD_TARGET = 'node24';

/**
 * ESM output cannot `require`, but CommonJS dependencies (mjml, html-to-text's helpers) do;
 * esbuild's shim calls the global `require` when one exists, so define it from this module's URL.
 * The odd name keeps it from clashing with a bundled module's own imports.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __gazetteCreateRequire } from 'node:module'; const require = __gazetteCreateRequire(import.meta.url);";

/**
 * Left out of every bundle. `typescript` is an optional peer that mjml's tooling requires only
 * when it validates templates from TypeScript sources, which Gazette never does; bundling it would
 * add 9 MB. The AWS SDK is bundled (not taken from the runtime) so the deployed version is the
 * one tested, pinned by package-lock.json.
 */
export const EXTERNAL_MODULES = ['typescript'];

/**
 * Packages replaced by an empty module (see unbundled-module.cjs for why each is safe to drop).
 * Relative to the project root, where esbuild runs.
 */
export const STUB_MODULE = 'infra/bundling/unbundled-module.cjs';
export const STUBBED_PACKAGES = ['undici', 'encoding-sniffer'];

/** Prefer ES modules: smaller bundles, and the AWS SDK's ESM build tree-shakes. */
export const MAIN_FIELDS = ['module', 'main'];

/** Settings shared by the stack and the benchmark. */
export const BUNDLE_SETTINGS = {
  format: 'esm',
  target: ESBUILD_TARGET,
  platform: 'node',
  minify: true,
  // Error and class names stay readable in logs and `instanceof`-free checks by name.
  keepNames: true,
  sourcemap: false,
  mainFields: MAIN_FIELDS,
  external: EXTERNAL_MODULES,
  banner: ESM_REQUIRE_BANNER,
  metafile: true,
} as const;

/** The bundle's file name inside its folder (what NodejsFunction writes for ESM). */
export const BUNDLE_FILE = 'index.mjs';

/** Shell commands that copy a function's folders (templates/, content/) next to its bundle. */
export function copyFolderCommands(spec: FunctionSpec, projectRoot: string, outputDir: string): string[] {
  return spec.copies.map((folder) => `cp -R "${join(projectRoot, folder)}" "${join(outputDir, folder)}"`);
}

/** The same bundle as the stack builds, for esbuild's JavaScript API (bench/bundles.ts). */
export function esbuildBuildOptions(spec: FunctionSpec, projectRoot: string, outdir: string): BuildOptions {
  return {
    entryPoints: [join(projectRoot, spec.entry)],
    outfile: join(outdir, BUNDLE_FILE),
    bundle: true,
    format: BUNDLE_SETTINGS.format,
    target: BUNDLE_SETTINGS.target,
    platform: BUNDLE_SETTINGS.platform,
    minify: BUNDLE_SETTINGS.minify,
    keepNames: BUNDLE_SETTINGS.keepNames,
    sourcemap: BUNDLE_SETTINGS.sourcemap,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    external: [...BUNDLE_SETTINGS.external],
    banner: { js: BUNDLE_SETTINGS.banner },
    metafile: BUNDLE_SETTINGS.metafile,
    alias: Object.fromEntries(STUBBED_PACKAGES.map((name) => [name, join(projectRoot, STUB_MODULE)])),
    logLevel: 'warning',
  };
}
