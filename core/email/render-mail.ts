import { compileMjml } from './compile-mjml.js';
import { escapeNonAscii } from './escape-non-ascii.js';
import { liquidEngines, renderLiquid } from './liquid-engines.js';
import type { EmailTemplates } from './rendered-mail.js';

/**
 * Renders one mail from its pair of templates: `<name>.mjml` (Liquid, then MJML, strictly
 * validated) and `<name>.txt.liquid` (the plain-text part). The HTML comes out ASCII, every
 * other character written as a reference (escape-non-ascii.ts); the text part keeps its characters.
 */
export async function renderMail(
  templates: EmailTemplates,
  name: string,
  data: Record<string, unknown>,
): Promise<{ html: string; text: string }> {
  const engines = liquidEngines(templates);
  const [mjml, text] = await Promise.all([
    renderLiquid(engines.html, templates, `${name}.mjml`, data),
    renderLiquid(engines.text, templates, `${name}.txt.liquid`, data),
  ]);
  const html = escapeNonAscii(await compileMjml(`${name}.mjml`, mjml));
  return { html, text: tidyText(text) };
}

/** Trailing spaces dropped, at most one blank line in a row, one final newline. */
export function tidyText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
