/**
 * The send worker bundles personalize.ts and compose-mime.ts only. This bundles them as the
 * Lambda build does (esbuild, ESM, node) and checks that neither MJML, Liquid nor html-to-text
 * came along, and that the bundle runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

describe('send-worker side of core/email', () => {
  it('bundles without MJML, Liquid or html-to-text, and the bundle personalizes and composes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-bundle-'));
    try {
      const entry = join(dir, 'entry.ts');
      writeFileSync(
        entry,
        [
          `export { compileEdition, personalize } from ${JSON.stringify(join(root, 'core/email/personalize.ts'))};`,
          `export { composeMime } from ${JSON.stringify(join(root, 'core/email/compose-mime.ts'))};`,
        ].join('\n'),
      );
      const outfile = join(dir, 'worker.mjs');
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile,
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: root,
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((p) => p.includes('node_modules/nodemailer/'))).toBe(true);
      expect(
        inputs.filter((p) => /node_modules\/(mjml|liquidjs|html-to-text|juice|htmlnano)/.test(p)),
      ).toEqual([]);
      const bytes = result.metafile.outputs[Object.keys(result.metafile.outputs)[0] ?? '']?.bytes ?? 0;
      console.log(`send-worker email bundle: ${(bytes / 1024).toFixed(0)} KiB from ${inputs.length} inputs`);

      const worker = (await import(
        pathToFileURL(outfile).href
      )) as typeof import('../../../core/email/personalize.js') &
        typeof import('../../../core/email/compose-mime.js');
      const compiled = worker.compileEdition({
        editionId: 'e',
        subject: 'S',
        preheader: '',
        html: '<a href="GAZETTE-PLACEHOLDER-7F3A9C-UNSUBSCRIBE-URL">u</a>',
        text: 'GAZETTE-PLACEHOLDER-7F3A9C-PREFERENCES-URL',
      });
      const mail = worker.personalize(compiled, {
        unsubscribeUrl: 'https://x.example/u',
        preferencesUrl: 'https://x.example/p',
      });
      expect(mail).toEqual({ html: '<a href="https://x.example/u">u</a>', text: 'https://x.example/p' });
      const raw = await worker.composeMime({
        from: { name: 'X', address: 'x@x.example' },
        to: 'r@x.example',
        subject: 'S',
        html: mail.html,
        text: mail.text,
        date: new Date(0),
      });
      expect(Buffer.from(raw).toString('latin1')).toMatch(/^Content-Type: multipart\/alternative;/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
