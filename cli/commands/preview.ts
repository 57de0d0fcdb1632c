import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { PreviewResult } from '../../core/editions/preview-edition.js';
import type { CliIo, Command } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';
import { connectEditor, EDITOR_OPTIONS, EDITOR_OPTIONS_HELP } from '../remote/connect-editor.js';
import { editionRequestOf, requestQuery } from '../remote/edition-request.js';
import { EditorClient } from '../remote/editor-client.js';
import { describeTarget } from '../remote/editor-target.js';
import { EditorApiError } from '../remote/remote-errors.js';

/** The widths the screenshots are taken at: a phone and the email's own width. */
export const SCREENSHOT_WIDTHS = [375, 600] as const;

export const previewCommand: Command = {
  name: 'preview',
  help: `Usage: gazette preview [--cadence daily|weekly | --post SLUG] [--out DIR] [--png DIR] [where]

Asks the editor API what "send now" would send (nothing is sent or stored) and writes its
HTML and text, with links that belong to nobody, as <edition id>.html and .txt. With --png,
also screenshots of the HTML at ${SCREENSHOT_WIDTHS.join(' and ')} px wide, taken by Chromium
(/usr/bin/chromium, or GAZETTE_CHROMIUM); nothing but the mail itself is loaded.

Options:
  --cadence C   the daily or weekly digest (default: weekly)
  --post SLUG   the edition of one published post
  --out DIR     where the HTML and text go (default: dist/preview)
  --png DIR     where the screenshots go

${EDITOR_OPTIONS_HELP}

Examples:
  gazette preview --cadence weekly
  gazette preview --post my-new-post --png dist/preview`,

  async run(args, io) {
    const { values } = parseOptions('preview', args, {
      ...EDITOR_OPTIONS,
      cadence: { type: 'string' },
      post: { type: 'string' },
      out: { type: 'string' },
      png: { type: 'string' },
    });
    const request = editionRequestOf('preview', values) ?? { cadence: 'weekly' as const };
    const pngDir = stringOption(values, 'png');
    const browserPath = pngDir === undefined ? undefined : findChromium(io);
    const client = new EditorClient(await connectEditor('preview', values, io));
    const preview = await client.json<Extract<PreviewResult, { ok: true }>>(
      'GET',
      `editor/editions/preview?${requestQuery(request)}`,
    );
    const outDir = resolve(io.cwd, stringOption(values, 'out', 'dist/preview'));
    await mkdir(outDir, { recursive: true });
    const written: string[] = [];
    for (const [ext, body] of [
      ['html', preview.html],
      ['txt', preview.text],
    ] as const) {
      const file = join(outDir, `${preview.editionId}.${ext}`);
      await writeFile(file, body);
      written.push(file);
    }
    if (pngDir !== undefined && browserPath !== undefined) {
      const dir = resolve(io.cwd, pngDir);
      await mkdir(dir, { recursive: true });
      written.push(...(await screenshots(browserPath, preview.html, dir, preview.editionId)));
    }
    io.stdout(
      `${preview.editionId} on ${describeTarget(client.target)}${preview.exists ? ' (already made)' : ' (not sent yet)'}: "${preview.subject}", ${preview.posts.length} post${preview.posts.length === 1 ? '' : 's'}`,
    );
    for (const file of written) io.stdout(`wrote ${relative(io.cwd, file)}`);
    return 0;
  },
};

/** GAZETTE_CHROMIUM when set (it must exist), else Debian's chromium; a clear error when there is none. */
function findChromium(io: CliIo): string {
  const chosen = io.env.GAZETTE_CHROMIUM;
  if (chosen) {
    if (existsSync(chosen)) return chosen;
    throw new EditorApiError(
      `GAZETTE_CHROMIUM points at ${chosen}, which does not exist: fix it, or drop --png`,
    );
  }
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!found) {
    throw new EditorApiError(
      'no Chromium found for --png: install it (`sudo apt-get install chromium`) or set GAZETTE_CHROMIUM to its path',
    );
  }
  return found;
}

async function screenshots(
  executablePath: string,
  markup: string,
  dir: string,
  id: string,
): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const files: string[] = [];
    for (const width of SCREENSHOT_WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      // The mail only: a screenshot must not fetch from anywhere (tracking pixels, remote images).
      await page.route('**/*', (route) =>
        route.request().url().startsWith('data:') ? route.continue() : route.abort(),
      );
      await page.setContent(markup, { waitUntil: 'load' });
      const file = join(dir, `${id}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await page.close();
      files.push(file);
    }
    return files;
  } finally {
    await browser.close();
  }
}
