/**
 * The function bundles as `cdk synth` builds them (NodejsFunction, local esbuild): what is in
 * them, what is copied next to them, that they load in Node 24, and that the benchmark builds
 * the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../adapters/config/env.js';
import { BUNDLE_FILE, esbuildBuildOptions } from '../../infra/bundling/esbuild-options.js';
import { FUNCTION_NAMES, FUNCTION_SPECS, type FunctionName } from '../../infra/bundling/function-specs.js';
import { ROOT, type Synthesized, synthGazette } from './synth-gazette.js';

/** The send worker's budget: 1 MiB for index.mjs. */
const SEND_WORKER_BUDGET_BYTES = 1024 * 1024;

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

const packages = (meta: Metafile) =>
  new Set(
    Object.keys(meta.inputs).flatMap((path) => {
      const at = path.lastIndexOf('node_modules/');
      if (at < 0) return [];
      const parts = path.slice(at + 'node_modules/'.length).split('/');
      return [parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '')];
    }),
  );

describe('function bundles', () => {
  let s: Synthesized;
  const assetDir = {} as Record<FunctionName, string>;
  const scratch = mkdtempSync(join(tmpdir(), 'gazette-bundles-test-'));

  beforeAll(() => {
    s = synthGazette({ bundle: true });
    for (const name of FUNCTION_NAMES) {
      const fn = s.stateless.functions[name].fn;
      const cfn = s.stateless.resolve((fn.node.defaultChild as unknown as { code: unknown }).code) as {
        s3Key: string;
      };
      assetDir[name] = join(s.outdir, `asset.${cfn.s3Key.replace(/\.zip$/, '')}`);
    }
  }, 120_000);
  afterAll(() => {
    s?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const meta = (name: FunctionName) =>
    JSON.parse(readFileSync(join(assetDir[name], 'index.meta.json'), 'utf8')) as Metafile;

  it('reports the size of every bundle', () => {
    const sizes = FUNCTION_NAMES.map((name) => {
      const bytes = statSync(join(assetDir[name], BUNDLE_FILE)).size;
      return `${name}: ${(bytes / 1024 / 1024).toFixed(2)} MiB`;
    });
    console.info(`bundle sizes (index.mjs): ${sizes.join(', ')}`);
    for (const name of FUNCTION_NAMES)
      expect(statSync(join(assetDir[name], BUNDLE_FILE)).size).toBeGreaterThan(10_000);
  });

  it('keeps MJML and Liquid out of the send worker, which only splices rendered bytes', () => {
    const worker = packages(meta('sendWorker'));
    expect([...worker].filter((p) => p === 'mjml' || p.startsWith('mjml-') || p === 'liquidjs')).toEqual([]);
    expect(readFileSync(join(assetDir.sendWorker, BUNDLE_FILE), 'utf8')).not.toMatch(/mj-column|mjml-core/);
    // The check can fail: the edition function does carry MJML.
    expect(packages(meta('edition')).has('mjml-core')).toBe(true);
  });

  it('keeps the send worker within its budget of 1 MiB: no YAML parser, no classic zod', () => {
    const bytes = statSync(join(assetDir.sendWorker, BUNDLE_FILE)).size;
    expect(bytes).toBeLessThanOrEqual(SEND_WORKER_BUDGET_BYTES);
    // What made it into the output (esbuild parses more than it keeps: zod's locales are parsed, then dropped).
    const output = Object.values(meta('sendWorker').outputs)[0]?.inputs ?? {};
    const inputs = Object.entries(output)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path);
    expect(packages(meta('sendWorker')).has('yaml')).toBe(false);
    // zod/mini only: the classic API and its translated messages stay out.
    expect(inputs.filter((p) => /node_modules\/zod\/v4\/(classic|locales)\//.test(p))).toEqual([]);
    expect(inputs.some((p) => p.includes('node_modules/zod/v4/mini/'))).toBe(true);
    // Nor is publication.yaml read: no content loader, no publication schema.
    expect(inputs.filter((p) => /core\/content\/|read-publication|content-source/.test(p))).toEqual([]);
    // The check can fail: the other functions do carry them.
    expect(packages(meta('publish')).has('yaml')).toBe(true);
  });

  it('the bundled send worker checks its environment with specific messages', () => {
    const url = pathToFileURL(join(assetDir.sendWorker, BUNDLE_FILE)).href;
    const run = (publication: string | undefined) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '--eval',
          `const m = await import(${JSON.stringify(url)});
           try { await m.handler({ Records: [] }, { getRemainingTimeInMillis: () => 1000 }); console.log('ran'); }
           catch (e) { console.log(e.name + ': ' + e.message); }`,
        ],
        {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'us-east-1',
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            [ENV.tablePrefix]: 'gazette-test-',
            [ENV.siteBucket]: 'gazette-test-site',
            [ENV.publicUrl]: 'https://test.example.com/',
            [ENV.secretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:test',
            [ENV.queueUrl]: 'https://sqs.us-east-1.amazonaws.com/123456789012/send',
            [ENV.sesConfigurationSet]: 'gazette-test',
            [ENV.workerMaxConcurrency]: 'many',
            ...(publication === undefined ? {} : { [ENV.publication]: publication }),
          },
        },
      ).stdout;
    expect(run(undefined)).toContain('ConfigError: invalid configuration:');
    expect(run(undefined)).toContain('GAZETTE_PUBLICATION is not set');
    expect(run(undefined)).toContain('GAZETTE_WORKER_MAX_CONCURRENCY: must be a whole number of workers');
    const injected = run(
      JSON.stringify({
        title: 'T\r\nBcc: x@example.org',
        email: { from: { name: 'N', address: 'n@example.org' } },
      }),
    );
    expect(injected).toContain('GAZETTE_PUBLICATION: title must be one line without control characters');
    expect(injected).not.toContain('Invalid input');
  });

  it('bundles the AWS SDK it uses instead of relying on the runtime copy', () => {
    for (const name of FUNCTION_NAMES) {
      expect(
        [...packages(meta(name))].some((p) => p.startsWith('@aws-sdk/')),
        name,
      ).toBe(true);
    }
  });

  it('leaves undici and encoding-sniffer out (cheerio loads them only for fetching pages)', () => {
    for (const name of ['http', 'publish', 'edition'] as const) {
      const inBundle = packages(meta(name));
      expect(inBundle.has('cheerio'), name).toBe(true);
      expect(inBundle.has('undici'), name).toBe(false);
      expect(inBundle.has('encoding-sniffer'), name).toBe(false);
    }
  });

  it('copies templates/ (and content/ for the web app) next to the handler', () => {
    const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
    for (const name of FUNCTION_NAMES) {
      const copies = FUNCTION_SPECS[name].copies;
      for (const folder of ['templates', 'content'] as const) {
        const present = existsSync(join(assetDir[name], folder));
        expect(present, `${name} ${folder}`).toBe(copies.includes(folder));
        if (present) expect(list(join(assetDir[name], folder))).toEqual(list(join(ROOT, folder)));
      }
    }
    expect(list(join(assetDir.http, 'content', 'posts')).length).toBeGreaterThan(0);
  });

  it.each(FUNCTION_NAMES)('%s loads in a fresh Node process and exports handler', (name) => {
    const url = pathToFileURL(join(assetDir[name], BUNDLE_FILE)).href;
    const result = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler);`,
      ],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          [ENV.tablePrefix]: 'gazette-test-',
          [ENV.siteBucket]: 'gazette-test-site',
          [ENV.publicUrl]: 'https://test.example.com/',
          [ENV.secretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:test',
        },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('function');
  });

  it.each(FUNCTION_NAMES)('%s: the benchmark builds the same bytes as the stack', async (name) => {
    const outdir = join(scratch, name);
    await build(esbuildBuildOptions(FUNCTION_SPECS[name], ROOT, outdir));
    const benchBytes = readFileSync(join(outdir, BUNDLE_FILE));
    const stackBytes = readFileSync(join(assetDir[name], BUNDLE_FILE));
    expect(benchBytes.length).toBe(stackBytes.length);
    expect(benchBytes.equals(stackBytes)).toBe(true);
  });

  it('renders MJML from a bundle built with the same options', async () => {
    const outdir = join(scratch, 'render-mjml');
    await build(
      esbuildBuildOptions(
        {
          entry: 'tests/infra/fixtures/render-mjml.ts',
          description: '',
          memoryMb: 0,
          timeoutSeconds: 0,
          copies: [],
        },
        ROOT,
        outdir,
      ),
    );
    const result = spawnSync(process.execPath, [join(outdir, BUNDLE_FILE)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
  });
});
