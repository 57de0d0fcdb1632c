/**
 * Function bundles: size and cold import time of each Lambda function's bundle, built with the
 * very esbuild options the CDK stack uses (infra/bundling/esbuild-options.ts).
 *
 * Cold import = a fresh `node` process that imports the bundle, minus a fresh `node` process that
 * imports nothing, both measured the same way in the same run (interleaved, median of 9 after a
 * warm-up each). It is what a Lambda cold start adds for loading the code, before the handler runs.
 *
 *   npx tsx bench/bundles.ts            print the table and update docs/performance.md
 *   npx tsx bench/bundles.ts --no-docs  print only
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ENV } from '../adapters/config/env.js';
import { BUNDLE_FILE, esbuildBuildOptions } from '../infra/bundling/esbuild-options.js';
import { FUNCTION_NAMES, FUNCTION_SPECS, type FunctionName } from '../infra/bundling/function-specs.js';
import { replaceSection } from './support/docs-section.js';
import { describeMachine, machineLine } from './support/machine.js';
import { markdownTable } from './support/markdown-table.js';
import { median } from './support/stats.js';

const ROOT = join(import.meta.dirname, '..');
const DOC = join(ROOT, 'docs', 'performance.md');
const SECTION = 'bundles';
const RUNS = 9;
const MIB = 1024 * 1024;

/** Budgets of the issue: the send worker small and quick to load, the MJML renderer bounded. */
const BUDGETS: Partial<Record<FunctionName, { bytes: number; importMs?: number }>> = {
  sendWorker: { bytes: 1 * MIB, importMs: 150 },
  edition: { bytes: 4 * MIB },
};

interface Measured {
  name: FunctionName;
  bytes: number;
  gzipBytes: number;
  /** Top packages by bytes in the bundle. */
  largest: Array<{ name: string; bytes: number }>;
  /** Bytes in the bundle per package. */
  parts: Record<string, number>;
  hasMjml: boolean;
  /** Bytes of zod's translated error messages (zod 4's classic API bundles every language). */
  zodLocaleBytes: number;
  /** Wall time of a process importing the bundle, minus that of an empty process (medians). */
  importMs: number;
  /** CPU time the import itself used, measured inside the process (median): steadier on a busy machine. */
  importCpuMs: number;
}

/** Wall time of one fresh Node process running `code` as an ES module, and what it printed. */
function timeNode(code: string, env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--input-type=module', '--eval', code], {
    env,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`node exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
  return { ms, stdout: result.stdout };
}

/** Imports the bundle and prints the CPU milliseconds the import itself took. */
function importCode(url: string): string {
  return `const c = process.cpuUsage(); await import(${JSON.stringify(url)}); const d = process.cpuUsage(c); console.log((d.user + d.system) / 1000);`;
}

/** The package an esbuild input path belongs to (`@aws-sdk/client-s3`, `zod`, or `(gazette)`). */
function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return '(gazette)';
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

/** Environment a handler module may read at import; values are never used to call AWS here. */
function importEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    [ENV.tablePrefix]: 'gazette-bench-',
    [ENV.siteBucket]: 'gazette-bench-site',
    [ENV.publicUrl]: 'https://bench.example.com/',
    [ENV.secretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench',
  };
}

async function measure(): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-bundles-'));
  try {
    const built: Array<Omit<Measured, 'importMs' | 'importCpuMs'> & { url: string }> = [];
    for (const name of FUNCTION_NAMES) {
      const outdir = join(dir, name);
      const result = await build(esbuildBuildOptions(FUNCTION_SPECS[name], ROOT, outdir));
      const file = join(outdir, BUNDLE_FILE);
      const output = Object.values(result.metafile?.outputs ?? {})[0];
      const byPackage = new Map<string, number>();
      let zodLocaleBytes = 0;
      for (const [path, input] of Object.entries(output?.inputs ?? {})) {
        if (/\/zod\/v4\/locales\//.test(path)) zodLocaleBytes += input.bytesInOutput;
        byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + input.bytesInOutput);
      }
      built.push({
        name,
        bytes: statSync(file).size,
        gzipBytes: gzipSync(readFileSync(file)).length,
        largest: [...byPackage]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([n, bytes]) => ({ name: n, bytes })),
        zodLocaleBytes,
        parts: Object.fromEntries(byPackage),
        hasMjml: [...byPackage.keys()].some((p) => p === 'mjml' || p.startsWith('mjml-')),
        url: pathToFileURL(file).href,
      });
    }

    const env = importEnv();
    const empty: number[] = [];
    const walls = new Map<FunctionName, number[]>(FUNCTION_NAMES.map((n) => [n, []]));
    const cpus = new Map<FunctionName, number[]>(FUNCTION_NAMES.map((n) => [n, []]));
    // Warm-up: the file system cache and Node's own start-up files.
    timeNode('', env);
    for (const b of built) timeNode(importCode(b.url), env);
    for (let run = 0; run < RUNS; run++) {
      empty.push(timeNode('', env).ms);
      for (const b of built) {
        const { ms, stdout } = timeNode(importCode(b.url), env);
        walls.get(b.name)?.push(ms);
        cpus.get(b.name)?.push(Number(stdout.trim().split('\n').at(-1)));
      }
    }
    const baseline = median(empty);
    process.stderr.write(`empty Node start: ${baseline.toFixed(1)} ms (median of ${RUNS})\n`);
    return built.map(({ url: _url, ...b }) => ({
      ...b,
      importMs: median(walls.get(b.name) ?? []) - baseline,
      importCpuMs: median(cpus.get(b.name) ?? []),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function verdicts(results: Measured[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const budget = BUDGETS[r.name];
    if (!budget) continue;
    const sizeOk = r.bytes <= budget.bytes;
    lines.push(
      `**${sizeOk ? 'PASS' : 'MISS'}** ${r.name} bundle ≤ ${(budget.bytes / MIB).toFixed(0)} MiB: ${(r.bytes / MIB).toFixed(2)} MiB`,
    );
    if (budget.importMs !== undefined) {
      const timeOk = r.importMs <= budget.importMs;
      lines.push(
        `**${timeOk ? 'PASS' : 'MISS'}** ${r.name} cold import ≤ ${budget.importMs} ms over an empty Node start: ${r.importMs.toFixed(0)} ms`,
      );
    }
  }
  const worker = results.find((r) => r.name === 'sendWorker');
  if (worker) {
    lines.push(`**${worker.hasMjml ? 'MISS' : 'PASS'}** send worker bundle without MJML`);
    const budget = BUDGETS.sendWorker?.bytes ?? Number.POSITIVE_INFINITY;
    if (worker.bytes > budget) {
      const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
      const parts = Object.entries(worker.parts)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([name, bytes]) => `${name} ${kib(bytes)}`);
      lines.push(
        `Why the send worker is over: its largest parts are ${parts.join(', ')}${worker.zodLocaleBytes > 0 ? `; ${kib(worker.zodLocaleBytes)} of zod 4's translated messages came in with its classic API (the worker's config uses zod/mini)` : ''}. \`esbuild --analyze\` on the bundle shows which module brings each.`,
      );
    }
  }
  return lines;
}

function report(results: Measured[]): string {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  const table = markdownTable(
    ['function', 'bundle', 'gzip', 'cold import over empty Node', 'import CPU', 'MJML', 'largest parts'],
    results.map((r) => [
      r.name,
      kb(r.bytes),
      kb(r.gzipBytes),
      `${r.importMs.toFixed(0)} ms`,
      `${r.importCpuMs.toFixed(0)} ms`,
      r.hasMjml ? 'yes' : 'no',
      r.largest.map((p) => `${p.name} ${kb(p.bytes)}`).join(', '),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'left', 'left'],
  );
  return [
    '## Function bundles',
    '',
    '`npx tsx bench/bundles.ts`',
    '',
    `- Machine: ${machineLine(describeMachine())}.`,
    '- Each function bundled by esbuild with the options the CDK stack passes to NodejsFunction (ESM, node24, minified, AWS SDK v3 bundled, `typescript` external, `undici` and `encoding-sniffer` replaced by an empty module); sizes are of `index.mjs` alone (templates/ and content/ are copied next to it).',
    "- The send worker takes publication.yaml's sender and title as JSON in its environment (validated by the stack at synthesis) and checks its configuration with zod/mini: no YAML parser, no publication schema and none of zod 4's translated messages in its bundle.",
    `- Cold import: a fresh \`node\` process that imports the bundle, minus a fresh \`node\` process that imports nothing, median of ${RUNS} each, interleaved, after a warm-up. The handler is not called (no AWS access). "Import CPU" is the CPU time of the import alone, read inside the process: it moves less than wall time when the machine is busy (see the load average above).`,
    '',
    table,
    '',
    ...verdicts(results).map((v) => `- ${v}`),
  ].join('\n');
}

const results = await measure();
const text = report(results);
process.stdout.write(`${text}\n`);
if (!process.argv.includes('--no-docs')) {
  let doc = '';
  try {
    doc = readFileSync(DOC, 'utf8');
  } catch {
    doc =
      '# Performance\n\nFigures measured by the benchmarks in bench/, with the machine and date of each run.\n';
  }
  writeFileSync(DOC, replaceSection(doc, SECTION, text));
  process.stderr.write(`updated ${DOC}\n`);
}
